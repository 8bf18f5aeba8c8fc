import type { ClientBuilder } from '../../src/destinations/vendor-client-builder.js'
import type { RequestGate } from '../../src/destinations/destination.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import { BRAZE_DEFAULT_GROUP, BRAZE_DELETE_GROUP, BRAZE_TRACK_GROUP } from './braze-limits.js'
import type { BrazeTrackBody } from './braze-payload.js'

/** Where and how Braze is called. */
export type BrazeClientConfig = VendorClient

/** The Braze client of a connection: the instance's REST endpoint and the key as a bearer token (section 2.1). */
export const buildBrazeClient: ClientBuilder<'braze', BrazeClientConfig> = (connection, credential, transport) => ({
  baseUrl: connection.restEndpoint.replace(/\/+$/, ''),
  authHeaders: { authorization: `Bearer ${credential(connection.apiKey, 'api key')}` },
  ...transport,
})

/*
 * One function per Braze endpoint (reference/destinations.md sections 2.2 to 2.4). Each waits for
 * the request gate in the endpoint's rate-limit group, then sends; the answer comes back whatever
 * its status, for the caller to read.
 */

/** `GET /segments/list?page=0`: needs the `segments.list` permission (section 2.2). */
export function listSegments(config: BrazeClientConfig, gate: RequestGate): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, BRAZE_DEFAULT_GROUP, 'GET', '/segments/list?page=0')
}

/** `POST /users/track`: 201, with `errors` for the objects it refused (section 2.3). */
export function trackUsers(config: BrazeClientConfig, gate: RequestGate, body: BrazeTrackBody): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, BRAZE_TRACK_GROUP, 'POST', '/users/track', body)
}

/** `POST /users/delete` with up to 50 `external_ids`: `{ deleted }`, a count of users queued (section 2.4). */
export function deleteUsers(config: BrazeClientConfig, gate: RequestGate, externalIds: readonly string[]): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, BRAZE_DELETE_GROUP, 'POST', '/users/delete', { external_ids: externalIds })
}
