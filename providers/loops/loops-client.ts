import type { ClientBuilder } from '../../src/destinations/vendor-client-builder.js'
import type { RequestGate } from '../../src/destinations/destination.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import { LOOPS_REQUEST_GROUP } from './loops-limits.js'
import type { LoopsContactBody, LoopsEventBody, LoopsIdentifier } from './loops-payload.js'

/** Where and how Loops is called. */
export type LoopsClientConfig = VendorClient

/** Loops' API base (reference/destinations.md section 1.1). */
export const LOOPS_BASE_URL = 'https://app.loops.so/api'

/** The Loops client of a connection: the API base (or `baseUrl`) and the key as a bearer token (section 1.1). */
export const buildLoopsClient: ClientBuilder<'loops', LoopsClientConfig> = (connection, credential, transport) => ({
  baseUrl: (connection.baseUrl ?? LOOPS_BASE_URL).replace(/\/+$/, ''),
  authHeaders: { authorization: `Bearer ${credential(connection.apiKey, 'api key')}` },
  ...transport,
})

/** A custom contact property, as Loops lists it (loops.json `ContactProperty`). */
export interface LoopsProperty {
  key: string
  type: string
}

/*
 * One function per Loops endpoint (reference/destinations.md section 1.3). Each waits for the
 * request gate, then sends; the answer comes back whatever its status, for the caller to read.
 */

/** `GET /v1/api-key`: 200 `{ success, teamName }` or 401. */
export function testApiKey(config: LoopsClientConfig, gate: RequestGate): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, LOOPS_REQUEST_GROUP, 'GET', '/v1/api-key')
}

/** `POST /v1/contacts/create`: 200, or 409 when the email or userId is already on a contact. */
export function createContact(config: LoopsClientConfig, gate: RequestGate, body: LoopsContactBody): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, LOOPS_REQUEST_GROUP, 'POST', '/v1/contacts/create', body)
}

/** `PUT /v1/contacts/update`: an upsert by email or userId (section 1.5). */
export function updateContact(config: LoopsClientConfig, gate: RequestGate, body: LoopsContactBody): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, LOOPS_REQUEST_GROUP, 'PUT', '/v1/contacts/update', body)
}

/** `POST /v1/contacts/delete` with exactly one identifier: 200, or 404 when there is no such contact. */
export function deleteContact(config: LoopsClientConfig, gate: RequestGate, identifier: LoopsIdentifier): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, LOOPS_REQUEST_GROUP, 'POST', '/v1/contacts/delete', identifier)
}

/** `POST /v1/events/send` with an `Idempotency-Key`: 409 when the key was used within 24 hours (section 1.6). */
export function sendEvent(
  config: LoopsClientConfig,
  gate: RequestGate,
  body: LoopsEventBody,
  idempotencyKey: string,
): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, LOOPS_REQUEST_GROUP, 'POST', '/v1/events/send', body, { 'idempotency-key': idempotencyKey })
}

/** `GET /v1/contacts/properties?list=custom`: the team's custom properties. */
export function listCustomProperties(config: LoopsClientConfig, gate: RequestGate): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, LOOPS_REQUEST_GROUP, 'GET', '/v1/contacts/properties?list=custom')
}

/** `POST /v1/contacts/properties`: 400 `Property already exists.` when it does. */
export function createCustomProperty(
  config: LoopsClientConfig,
  gate: RequestGate,
  property: { name: string; type: string },
): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, LOOPS_REQUEST_GROUP, 'POST', '/v1/contacts/properties', property)
}
