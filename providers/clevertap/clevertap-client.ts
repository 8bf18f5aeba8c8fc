import type { ClientBuilder } from '../../src/destinations/vendor-client-builder.js'
import type { RequestGate } from '../../src/destinations/destination.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import { CLEVERTAP_DEFAULT_GROUP, CLEVERTAP_UPLOAD_GROUP } from './clevertap-limits.js'
import type { CleverTapUploadRecord } from './clevertap-payload.js'

/** Where and how CleverTap is called. */
export interface CleverTapClientConfig extends VendorClient {
  /** The project (account) id: an identifier, not a secret. */
  accountId: string
}

/**
 * The CleverTap client of a connection. The host is `https://<region>.api.clevertap.com`, as the
 * official Node SDK builds it; for Europe the docs name `api.clevertap.com` while the SDK uses
 * `eu1.api.clevertap.com`, which is kept (section 3.1).
 */
export const buildClevertapClient: ClientBuilder<'clevertap', CleverTapClientConfig> = (connection, credential, transport) => ({
  baseUrl: (connection.baseUrl ?? `https://${connection.region}.api.clevertap.com`).replace(/\/+$/, ''),
  accountId: connection.accountId,
  authHeaders: {
    'x-clevertap-account-id': connection.accountId,
    'x-clevertap-passcode': credential(connection.passcode, 'passcode'),
  },
  ...transport,
})

/** The partner name `/v1/connect` is called with. */
const PARTNER = 'outflow'

/*
 * One function per CleverTap endpoint (reference/destinations.md sections 3.2 and 3.3). Each waits
 * for the request gate, then sends; the answer comes back whatever its status, for the caller to read.
 */

/** `GET /v1/connect?partner=outflow`: CleverTap's credentials check for partners (section 3.2; note `/v1`). */
export function connect(config: CleverTapClientConfig, gate: RequestGate): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, CLEVERTAP_DEFAULT_GROUP, 'GET', `/v1/connect?partner=${PARTNER}`)
}

/** `POST /1/upload` with `{ d }`: HTTP 200, with the records it skipped in `unprocessed` (section 3.3). */
export function upload(config: CleverTapClientConfig, gate: RequestGate, records: readonly CleverTapUploadRecord[]): Promise<HttpResponse> {
  return sendVendorRequest(config, gate, CLEVERTAP_UPLOAD_GROUP, 'POST', '/1/upload', { d: records })
}
