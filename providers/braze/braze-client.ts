import type { Dispatcher } from 'undici'

import type { RequestGate } from '../../src/destinations/destination.js'
import { sendRequest, type HttpRequest, type HttpResponse } from '../../src/destinations/http.js'
import { BRAZE_DEFAULT_GROUP, BRAZE_DELETE_GROUP, BRAZE_TRACK_GROUP } from './braze-limits.js'
import type { BrazeTrackBody } from './braze-payload.js'

/** Where and how Braze is called. */
export interface BrazeClientConfig {
  /** The instance's REST endpoint, without a trailing slash, e.g. `https://rest.iad-01.braze.com`. */
  baseUrl: string
  apiKey: string
  dispatcher: Dispatcher | undefined
  timeoutMs: number | undefined
}

/*
 * One function per Braze endpoint (reference/destinations.md sections 2.2 to 2.4). Each waits for
 * the request gate in the endpoint's rate-limit group, then sends; the answer comes back whatever
 * its status, for the caller to read.
 */

/** `GET /segments/list?page=0`: needs the `segments.list` permission (section 2.2). */
export function listSegments(config: BrazeClientConfig, gate: RequestGate): Promise<HttpResponse> {
  return send(config, gate, BRAZE_DEFAULT_GROUP, 'GET', '/segments/list?page=0')
}

/** `POST /users/track`: 201, with `errors` for the objects it refused (section 2.3). */
export function trackUsers(config: BrazeClientConfig, gate: RequestGate, body: BrazeTrackBody): Promise<HttpResponse> {
  return send(config, gate, BRAZE_TRACK_GROUP, 'POST', '/users/track', body)
}

/** `POST /users/delete` with up to 50 `external_ids`: `{ deleted }`, a count of users queued (section 2.4). */
export function deleteUsers(config: BrazeClientConfig, gate: RequestGate, externalIds: readonly string[]): Promise<HttpResponse> {
  return send(config, gate, BRAZE_DELETE_GROUP, 'POST', '/users/delete', { external_ids: externalIds })
}

async function send(
  config: BrazeClientConfig,
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
    headers: { authorization: `Bearer ${config.apiKey}` },
    json,
    dispatcher: config.dispatcher,
    timeoutMs: config.timeoutMs,
  })
}
