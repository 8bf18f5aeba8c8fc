import type { Dispatcher } from 'undici'

import type { RequestGate } from './destination.js'
import { sendRequest, type HttpRequest, type HttpResponse } from './http.js'

/** How a connector reaches its vendor: the base URL, the auth headers every request carries, transport options. */
export interface VendorClient {
  /** Without a trailing slash. */
  baseUrl: string
  /** The vendor's credentials, as headers; never logged or put in messages. */
  authHeaders: Readonly<Record<string, string>>
  dispatcher: Dispatcher | undefined
  timeoutMs: number | undefined
}

/**
 * One vendor call: waits for the engine's gate in `group` (so the vendor's rate limit holds
 * across every sync on the connection), then sends with the client's auth headers.
 */
export async function sendVendorRequest(
  client: VendorClient,
  gate: RequestGate,
  group: string,
  method: HttpRequest['method'],
  path: string,
  json?: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<HttpResponse> {
  await gate.acquire(group)
  return sendRequest({
    method,
    url: `${client.baseUrl}${path}`,
    headers: { ...client.authHeaders, ...headers },
    json,
    dispatcher: client.dispatcher,
    timeoutMs: client.timeoutMs,
  })
}
