import type { IncomingHttpHeaders } from 'node:http'

/** A request as an emulator's routes see it: the JSON body already parsed. */
export interface EmulatorRequest {
  /** Upper-case HTTP method. */
  readonly method: string
  /** The path as sent (still percent-encoded), without the query string. */
  readonly path: string
  readonly query: URLSearchParams
  /** Header names are lower case (Node's convention). */
  readonly headers: IncomingHttpHeaders
  /** The parsed JSON body; `undefined` when the request had none. */
  readonly body: unknown
  /** Path parameters of the matched route, decoded (`/lists/:listId` gives `listId`). */
  readonly params: Readonly<Record<string, string>>
  /** Aborted when the emulator stops, so slow handlers end with it. */
  readonly signal: AbortSignal
}

/** Which part of the emulator produced a response; some vendors treat them differently (Courier idempotency). */
export type ResponseOrigin = 'handler' | 'routing' | 'auth' | 'validation' | 'rate-limit' | 'fault'

/** A response to write: a JSON body, a raw body or none, and extra headers. */
export interface EmulatorResponse {
  status: number
  /** Serialised as JSON, with a JSON `content-type` unless `headers` give one; leave out for an empty body (204). */
  body?: unknown
  /**
   * Sent exactly as given instead of `body`, for answers that are not JSON (a fault's HTML page or
   * truncated JSON); `''` sends an empty body with a `content-length` of 0. Its `content-type` is
   * whatever `headers` say, or none.
   */
  bodyText?: string
  headers?: Readonly<Record<string, string>>
  /** @default 'handler' */
  origin?: ResponseOrigin
}

/** The outcome of a request that ends without a response: the connection is destroyed. */
export const DROP_CONNECTION: unique symbol = Symbol('drop connection')

/** What handling a request produced. */
export type RequestOutcome = EmulatorResponse | typeof DROP_CONNECTION

/** A JSON response. */
export function jsonResponse(status: number, body: unknown, headers?: Readonly<Record<string, string>>): EmulatorResponse {
  return headers === undefined ? { status, body } : { status, body, headers }
}

/** A response without a body, such as 204 No Content. */
export function emptyResponse(status: number): EmulatorResponse {
  return { status }
}

/** The first value of a request header, or `undefined`. */
export function headerValue(request: Pick<EmulatorRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

/** The token of an `Authorization: Bearer <token>` header, or `undefined`. */
export function bearerToken(request: Pick<EmulatorRequest, 'headers'>): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(headerValue(request, 'authorization') ?? '')
  return match?.[1]?.trim()
}

/** Adds headers to a response, keeping the ones it already has. */
export function withHeaders(response: EmulatorResponse, headers: Readonly<Record<string, string>> | undefined): EmulatorResponse {
  if (headers === undefined || Object.keys(headers).length === 0) return response
  return { ...response, headers: { ...headers, ...response.headers } }
}
