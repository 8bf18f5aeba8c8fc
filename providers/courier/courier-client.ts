import type { ClientBuilder } from '../../src/destinations/vendor-client-builder.js'
import type { RequestGate } from '../../src/destinations/destination.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import { vendorPath } from '../../src/destinations/vendor-path.js'
import { COURIER_DEFAULT_GROUP, COURIER_LIST_WRITES_GROUP } from './courier-limits.js'
import type { CourierProfileBody } from './courier-payload.js'

/** Where and how Courier is called. */
export type CourierClientConfig = VendorClient

/** Courier's API base (@trycourier/courier `client.ts`; reference/destinations.md section 4.1). */
export const COURIER_BASE_URL = 'https://api.courier.com'

/** The Courier client of a connection: the API base (or `baseUrl`) and the auth token as a bearer token (section 4.1). */
export const buildCourierClient: ClientBuilder<'courier', CourierClientConfig> = (connection, credential, transport) => ({
  baseUrl: (connection.baseUrl ?? COURIER_BASE_URL).replace(/\/+$/, ''),
  authHeaders: { authorization: `Bearer ${credential(connection.authToken, 'auth token')}` },
  ...transport,
})

/*
 * One function per Courier endpoint (reference/destinations.md sections 4.3 and 4.4). Each waits
 * for the request gate in its group, then sends; the answer comes back whatever its status.
 *
 * No call sends an `Idempotency-Key`. Courier replays the first answer to a key for at least 24
 * hours, errors and 500s included (section 4.6), and a record's key is stable across retries and
 * runs: one 500 would fail every retry of that record for a day, and a row changed A, B, then back
 * to A within the day would have its last merge replayed instead of applied. Merges and member
 * additions are idempotent by themselves, so the key would protect nothing.
 */

/** `GET /lists`: the cheapest authenticated call (list reads are not rate limited; section 4.2). */
export function listLists(config: CourierClientConfig, gate: RequestGate): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, COURIER_DEFAULT_GROUP, 'GET', '/lists')
}

/** `GET /lists/{list_id}`: 200, or 404 when there is no such list. */
export function getList(config: CourierClientConfig, gate: RequestGate, listId: string): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, COURIER_DEFAULT_GROUP, 'GET', vendorPath('/lists/{list_id}', { list_id: listId }))
}

/** `PUT /lists/{list_id}`: creates or renames the list; a list write (20 a minute). */
export function putList(config: CourierClientConfig, gate: RequestGate, listId: string, name: string): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, COURIER_LIST_WRITES_GROUP, 'PUT', vendorPath('/lists/{list_id}', { list_id: listId }), { name })
}

/** `POST /profiles/{user_id}`: merges the keys into the profile, creating it if needed (never `PUT`, which replaces it). */
export function mergeProfile(
  config: CourierClientConfig,
  gate: RequestGate,
  recipientId: string,
  body: CourierProfileBody,
): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, COURIER_DEFAULT_GROUP, 'POST', vendorPath('/profiles/{user_id}', { user_id: recipientId }), body)
}

/** `POST /lists/{list_id}/subscriptions`: adds members, keeping the others; a list write (20 a minute). */
export function addSubscribers(
  config: CourierClientConfig,
  gate: RequestGate,
  listId: string,
  recipientIds: readonly string[],
): Promise<HttpResponse> {
  const body = { recipients: recipientIds.map((recipientId) => ({ recipientId })) }
  const path = vendorPath('/lists/{list_id}/subscriptions', { list_id: listId })
  return sendVendorRequest(config, gate, COURIER_LIST_WRITES_GROUP, 'POST', path, body)
}

/** `DELETE /lists/{list_id}/subscriptions/{user_id}`: 204, or 404 when the user is not a member. */
export function removeSubscriber(
  config: CourierClientConfig,
  gate: RequestGate,
  listId: string,
  recipientId: string,
): Promise<HttpResponse> {
  const path = vendorPath('/lists/{list_id}/subscriptions/{user_id}', { list_id: listId, user_id: recipientId })
  return sendVendorRequest(config, gate, COURIER_DEFAULT_GROUP, 'DELETE', path)
}
