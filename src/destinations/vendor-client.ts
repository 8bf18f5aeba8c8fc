import type { Dispatcher } from 'undici'

import type { RequestGate } from './destination.js'
import { traceVendorRequest } from '../telemetry/trace-vendor-request.js'
import { retryAfterMs, sendRequest, type HttpRequest, type HttpResponse } from './http.js'
import type { VendorPath } from './vendor-path.js'

/**
 * The longest a 429 holds its group: a longer delay is the run's retry policy's call (it may leave
 * the rows to the next run), not the gate's.
 */
const MAX_HOLD_MS = 60_000

/** How a connector reaches its vendor: the base URL, the auth headers every request carries, transport options. */
export interface VendorClient {
  /** Without a trailing slash. */
  baseUrl: string
  /** The vendor's credentials, as headers; never logged or put in messages. */
  authHeaders: Readonly<Record<string, string>>
  dispatcher: Dispatcher | undefined
  timeoutMs: number | undefined
  /** The vendor (`braze`) and the destination's name, which label the client's requests in telemetry. */
  vendor?: string | undefined
  destination?: string | undefined
}

/**
 * One vendor call: waits for the engine's gate in `group` (so the vendor's rate limit holds
 * across every sync on the connection), then sends with the client's auth headers. A `path` with
 * an identifier outside its query string is a {@link VendorPath}, so that telemetry names the
 * endpoint by its template.
 */
export async function sendVendorRequest(
  client: VendorClient,
  gate: RequestGate,
  group: string,
  method: HttpRequest['method'],
  path: string | VendorPath,
  json?: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<HttpResponse> {
  await gate.acquire(group)
  const response = await traceVendorRequest(client, method, path, () =>
    sendRequest({
      method,
      url: `${client.baseUrl}${typeof path === 'string' ? path : path.path}`,
      headers: { ...client.authHeaders, ...headers },
      json,
      dispatcher: client.dispatcher,
      timeoutMs: client.timeoutMs,
    }),
  )
  // Another process on the same connection (a second worker's page, a script) may have used the
  // vendor's window: hold the whole group until it resets rather than let the queue hit it too.
  // A 429 that names no delay is left to the retry policy's backoff.
  const delayMs = response.status === 429 ? retryAfterMs(response.headers) : undefined
  if (delayMs !== undefined) gate.holdOff?.(group, Math.min(delayMs, MAX_HOLD_MS))
  return response
}
