import type { Dispatcher } from 'undici'

import type { RequestGate } from '../../src/destinations/destination.js'
import { sendRequest, type HttpRequest, type HttpResponse } from '../../src/destinations/http.js'
import { CLEVERTAP_DEFAULT_GROUP, CLEVERTAP_UPLOAD_GROUP } from './clevertap-limits.js'
import type { CleverTapUploadRecord } from './clevertap-payload.js'

/** Where and how CleverTap is called. */
export interface CleverTapClientConfig {
  /** The regional host, without a trailing slash or a version, e.g. `https://us1.api.clevertap.com`. */
  baseUrl: string
  /** The project (account) id: an identifier, not a secret. */
  accountId: string
  passcode: string
  dispatcher: Dispatcher | undefined
  timeoutMs: number | undefined
}

/** The partner name `/v1/connect` is called with. */
const PARTNER = 'outflow'

/*
 * One function per CleverTap endpoint (reference/destinations.md sections 3.2 and 3.3). Each waits
 * for the request gate, then sends; the answer comes back whatever its status, for the caller to read.
 */

/** `GET /v1/connect?partner=outflow`: CleverTap's credentials check for partners (section 3.2; note `/v1`). */
export function connect(config: CleverTapClientConfig, gate: RequestGate): Promise<HttpResponse> {
  return send(config, gate, CLEVERTAP_DEFAULT_GROUP, 'GET', `/v1/connect?partner=${PARTNER}`)
}

/** `POST /1/upload` with `{ d }`: HTTP 200, with the records it skipped in `unprocessed` (section 3.3). */
export function upload(config: CleverTapClientConfig, gate: RequestGate, records: readonly CleverTapUploadRecord[]): Promise<HttpResponse> {
  return send(config, gate, CLEVERTAP_UPLOAD_GROUP, 'POST', '/1/upload', { d: records })
}

async function send(
  config: CleverTapClientConfig,
  gate: RequestGate,
  group: string,
  method: HttpRequest['method'],
  path: string,
  json?: unknown,
): Promise<HttpResponse> {
  await gate.acquire(group)
  return sendRequest({
    method,
    url: `${config.baseUrl}${path}`,
    headers: { 'x-clevertap-account-id': config.accountId, 'x-clevertap-passcode': config.passcode },
    json,
    dispatcher: config.dispatcher,
    timeoutMs: config.timeoutMs,
  })
}
