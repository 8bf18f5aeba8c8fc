import { request } from 'undici'

/** An answer as tests look at it: status, headers and the parsed JSON body (`undefined` when empty). */
export interface HttpResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

/** An answer with its body as text, for bodies that are not JSON. */
export interface HttpTextResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** Options of {@link http}. */
export interface HttpOptions {
  /** Serialised as JSON. */
  body?: unknown
  /** Sent as is, for malformed bodies. */
  rawBody?: string
  headers?: Record<string, string>
}

/** Sends one request to an emulator over a real socket. */
export async function http(baseUrl: string, method: string, path: string, options: HttpOptions = {}): Promise<HttpResult> {
  const { status, headers, text } = await httpText(baseUrl, method, path, options)
  return { status, headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

/** Like {@link http}, but reads the body as text without parsing it. */
export async function httpText(baseUrl: string, method: string, path: string, options: HttpOptions = {}): Promise<HttpTextResult> {
  const body = options.rawBody ?? (options.body === undefined ? null : JSON.stringify(options.body))
  const response = await request(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...options.headers },
    body,
  })
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() }
}

/** Authorization headers with each emulator's default credentials. */
export const DEFAULT_AUTH = {
  loops: { authorization: 'Bearer loops-test-key' },
  braze: { authorization: 'Bearer braze-test-key' },
  clevertap: { 'x-clevertap-account-id': 'TEST-ACCOUNT', 'x-clevertap-passcode': 'clevertap-test-passcode' },
  courier: { authorization: 'Bearer courier-test-token' },
} as const
