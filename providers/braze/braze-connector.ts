import type { ConnectorFactory, DeliveryLimits } from '../../src/destinations/destination.js'
import { defineConnector } from '../../src/destinations/define-connector.js'
import { isRecord } from '../../src/util/is-record.js'
import { BRAZE_ANSWERS } from './braze-answers.js'
import { brazeCatalog } from './braze-catalog.js'
import { listSegments, buildBrazeClient } from './braze-client.js'
import { deliverEvents, deliverUsers } from './braze-delivery.js'
import {
  BRAZE_DEFAULT_RATE_LIMIT,
  BRAZE_DELETE_GROUP,
  BRAZE_DELETE_IDS_PER_REQUEST,
  BRAZE_DELETE_RATE_LIMIT,
  BRAZE_DELIVER_CONCURRENCY,
  BRAZE_TRACK_BATCH_SIZE,
  BRAZE_TRACK_GROUP,
  BRAZE_TRACK_RATE_LIMIT,
} from './braze-limits.js'
import { brazeErrors } from './braze-outcome.js'

/** A batch of users: one `/users/track` request of up to 75 attribute objects. */
const TRACK_LIMITS: DeliveryLimits = {
  batchSize: BRAZE_TRACK_BATCH_SIZE,
  concurrency: BRAZE_DELIVER_CONCURRENCY,
  requestsPerBatch: { [BRAZE_TRACK_GROUP]: 1 },
}

/**
 * Builds the Braze connector: users by `external_id` (upsert, update, mirror) and custom events
 * (send), through `POST /users/track`, with mirror deletes through `POST /users/delete`.
 *
 * @example
 * ```ts
 * const braze = createBrazeConnector({
 *   name: 'braze',
 *   connection: { type: 'braze', restEndpoint: 'https://rest.iad-01.braze.com', apiKey: { secret: 'BRAZE_API_KEY' } },
 * })
 * const results = await braze.deliver(batch, createRequestGate(braze.rateLimits))
 * ```
 */
export const createBrazeConnector: ConnectorFactory = defineConnector({
  type: 'braze',
  catalog: brazeCatalog,
  rateLimits: [BRAZE_TRACK_RATE_LIMIT, BRAZE_DELETE_RATE_LIMIT, BRAZE_DEFAULT_RATE_LIMIT],
  unlimitedGroups: [],
  errors: brazeErrors,
  ops: { user: ['upsert', 'delete'], event: ['send'] },
  // `/users/delete` takes 50 ids a request, in its own rate-limit group (section 2.4).
  limits: (object) =>
    object === 'user'
      ? { ...TRACK_LIMITS, deletes: { batchSize: BRAZE_DELETE_IDS_PER_REQUEST, requestsPerBatch: { [BRAZE_DELETE_GROUP]: 1 } } }
      : TRACK_LIMITS,
  client: buildBrazeClient,
  state: () => undefined,
  // `GET /segments/list?page=0` (section 2.2): the cheapest call that proves the key and its instance.
  probe: {
    answer: BRAZE_ANSWERS.listSegments,
    send: listSegments,
    detail: (body) => `Braze API key accepted (${countSegments(body)} segments on the first page)`,
  },
  deliver: (call, object, batch) => (object === 'user' ? deliverUsers(call, batch) : deliverEvents(call, batch)),
})

function countSegments(body: unknown): number {
  return isRecord(body) && Array.isArray(body['segments']) ? body['segments'].length : 0
}
