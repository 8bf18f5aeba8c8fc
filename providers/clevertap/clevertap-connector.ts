import type { ConnectorFactory } from '../../src/destinations/destination.js'
import { defineConnector } from '../../src/destinations/define-connector.js'
import { CLEVERTAP_ANSWERS } from './clevertap-answers.js'
import { clevertapCatalog } from './clevertap-catalog.js'
import { connect, buildClevertapClient } from './clevertap-client.js'
import { deliverEvents, deliverProfiles } from './clevertap-delivery.js'
import {
  CLEVERTAP_DEFAULT_GROUP,
  CLEVERTAP_UPLOAD_BATCH_SIZE,
  CLEVERTAP_UPLOAD_CONCURRENCY,
  CLEVERTAP_UPLOAD_GROUP,
} from './clevertap-limits.js'
import { clevertapErrors } from './clevertap-outcome.js'

/**
 * Builds the CleverTap connector: profiles by `identity` (upsert) and events (send), both through
 * `POST /1/upload`, up to 1,000 records an upload and 15 uploads in flight. CleverTap needs
 * nothing created first: profile keys and event names appear when first uploaded.
 *
 * @example
 * ```ts
 * const clevertap = createClevertapConnector({
 *   name: 'clevertap',
 *   connection: { type: 'clevertap', accountId: 'W9R-486-4W5Z', region: 'us1', passcode: { secret: 'CLEVERTAP_PASSCODE' } },
 * })
 * const results = await clevertap.deliver(batch, createRequestGate(clevertap.rateLimits))
 * ```
 */
export const createClevertapConnector: ConnectorFactory = defineConnector({
  type: 'clevertap',
  catalog: clevertapCatalog,
  // No time-window rate limit, only a concurrency limit (section 3.5), expressed in `limits`.
  rateLimits: [],
  unlimitedGroups: [CLEVERTAP_UPLOAD_GROUP, CLEVERTAP_DEFAULT_GROUP],
  errors: clevertapErrors,
  ops: { profile: ['upsert'], event: ['send'] },
  limits: () => ({
    batchSize: CLEVERTAP_UPLOAD_BATCH_SIZE,
    concurrency: CLEVERTAP_UPLOAD_CONCURRENCY,
    requestsPerBatch: { [CLEVERTAP_UPLOAD_GROUP]: 1 },
  }),
  client: buildClevertapClient,
  state: () => undefined,
  // `GET /v1/connect?partner=outflow` (section 3.2); its body is [unverified]: any JSON object not saying `fail` passes.
  probe: {
    answer: CLEVERTAP_ANSWERS.connect,
    send: connect,
    detail: (_body, client) => `CleverTap account ${client.accountId} accepted the passcode`,
  },
  deliver: (call, object, batch) => (object === 'profile' ? deliverProfiles(call, batch) : deliverEvents(call, batch)),
})
