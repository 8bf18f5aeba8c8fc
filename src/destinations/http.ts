import { request, type Dispatcher } from 'undici'

import { OutflowError } from '../errors.js'

/** A vendor response: status, lowercase headers, and the body parsed as JSON when it is JSON. */
export interface HttpResponse {
  status: number
  headers: Readonly<Record<string, string>>
  /** Parsed JSON, or the raw text when the body is not JSON (load balancers answer HTML). */
  body: unknown
}

/** One HTTP call to a vendor. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Absolute URL. */
  url: string
  headers?: Readonly<Record<string, string>>
  /** Sent as JSON. */
  json?: unknown
  dispatcher?: Dispatcher | undefined
  /** @default 30000 */
  timeoutMs?: number | undefined
}

/**
 * Sends a request and returns the response whatever its status: classifying statuses is each
 * vendor's table's job. Throws `DESTINATION_UNAVAILABLE` (retryable) only when no response came
 * (refused, reset, timed out). Messages name the method and path, never headers or bodies, which
 * carry credentials and row data.
 */
export async function sendRequest(options: HttpRequest): Promise<HttpResponse> {
  const timeout = options.timeoutMs ?? 30_000
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  if (options.json !== undefined) headers['content-type'] = 'application/json'
  try {
    const response = await request(options.url, {
      method: options.method,
      headers,
      body: options.json === undefined ? null : JSON.stringify(options.json),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    })
    const text = await response.body.text()
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: parseBody(text) }
  } catch (error) {
    const target = `${options.method} ${new URL(options.url).pathname}`
    const reason = error instanceof Error ? ((error as Error & { code?: string }).code ?? error.message) : String(error)
    throw new OutflowError('DESTINATION_UNAVAILABLE', `${target}: no response (${reason})`, { cause: error, retryable: true })
  }
}

/** Socket errors raised before a request leaves: nothing reached the vendor. */
const NEVER_LEFT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

/**
 * Whether a `DESTINATION_UNAVAILABLE` from {@link sendRequest} happened after the request left
 * (a reset or a timeout: it may have arrived) rather than before (a refused connection, an
 * unknown host), read from the error codes of its causes.
 */
export function requestLeft(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as Error & { code?: unknown }).code
    if (typeof code === 'string' && NEVER_LEFT.has(code)) return false
    cause = cause.cause
  }
  return true
}

/**
 * Response headers that carry a vendor's id for a request, the id its support asks for; the
 * first one present is used. `cf-ray` is Cloudflare's, in front of many vendor APIs.
 */
const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-amzn-requestid', 'x-correlation-id', 'cf-ray'] as const

/** An id is a token: anything else in such a header is not quoted into a message. */
const REQUEST_ID = /^[\w.:/+=-]{1,128}$/

/** The vendor's id for the request `response` answers, when it sent one in a header. */
export function requestIdOf(response: Pick<HttpResponse, 'headers'>): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = response.headers[name]?.trim()
    if (value !== undefined && REQUEST_ID.test(value)) return value
  }
  return undefined
}

/**
 * Where an answer came from, as messages name it: `HTTP 429, POST /users/track`, followed by
 * `, request id …` when the vendor sent one, so that a failure can be traced at the vendor.
 */
export function answerPlace(response: HttpResponse, endpoint: string): string {
  const id = requestIdOf(response)
  return `HTTP ${response.status}, ${endpoint}${id === undefined ? '' : `, request id ${id}`}`
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  return out
}

/**
 * How long the vendor asks us to wait, in milliseconds: `Retry-After` (seconds or an HTTP date),
 * else `X-RateLimit-Reset` (epoch seconds, Braze's form). Undefined when it says nothing.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now = Date.now()): number | undefined {
  const retryAfter = headers['retry-after']
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
    const date = Date.parse(retryAfter)
    if (!Number.isNaN(date)) return Math.max(0, date - now)
  }
  const reset = Number(headers['x-ratelimit-reset'])
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined
}

/**
 * How long a refusal asks to wait: a 429 honours any rate-limit header (Braze's reset time
 * included); a server fault only an explicit `Retry-After`, since a reset header sent on every
 * answer says nothing about when a fault clears.
 */
export function refusalDelayMs(response: HttpResponse, rateLimited: boolean): number | undefined {
  if (rateLimited) return retryAfterMs(response.headers)
  const header = response.headers['retry-after']
  return header === undefined ? undefined : retryAfterMs({ 'retry-after': header })
}
