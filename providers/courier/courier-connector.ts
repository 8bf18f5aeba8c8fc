import type { ConnectorFactory, DeliveryLimits } from '../../src/destinations/destination.js'
import { defineConnector } from '../../src/destinations/define-connector.js'
import { OutflowError } from '../../src/errors.js'
import type { CourierListOption } from '../../src/model/spec-document-types.generated.js'
import type { SyncOptions } from '../../src/model/spec-types.js'
import { isRecord } from '../../src/util/is-record.js'
import { COURIER_ANSWERS } from './courier-answers.js'
import { courierCatalog } from './courier-catalog.js'
import { listLists, buildCourierClient } from './courier-client.js'
import { InFlightLimit } from './courier-in-flight-limit.js'
import {
  COURIER_DEFAULT_GROUP,
  COURIER_DELIVER_CONCURRENCY,
  COURIER_LIST_BATCH_SIZE,
  COURIER_LIST_WRITE_LIMIT,
  COURIER_LIST_WRITES_GROUP,
  COURIER_MAX_IN_FLIGHT,
  COURIER_PROFILE_BATCH_SIZE,
} from './courier-limits.js'
import { courierErrors } from './courier-outcome.js'
import { ensureList, listExists } from './courier-prepare.js'
import { deliverProfiles } from './courier-profile-delivery.js'

/**
 * Builds the Courier connector: profiles merged by recipient id (`profile`), and profiles merged
 * and kept subscribed to `options.list` (`profileWithList`, where mirror unsubscribes removed rows).
 *
 * @example
 * ```ts
 * const courier = createCourierConnector({ name: 'courier', connection: { type: 'courier', authToken: { secret: 'COURIER_TOKEN' } } })
 * await courier.prepare({ object: 'profileWithList', options: { list: { id: 'newsletter.weekly' } }, fields: {} })
 * const results = await courier.deliver(batch, createRequestGate(courier.rateLimits))
 * ```
 */
export const createCourierConnector: ConnectorFactory = defineConnector({
  type: 'courier',
  catalog: courierCatalog,
  rateLimits: [COURIER_LIST_WRITE_LIMIT],
  // Profile merges, reads and member removals: Courier does not rate limit them (section 4.5).
  unlimitedGroups: [COURIER_DEFAULT_GROUP],
  errors: courierErrors,
  ops: { profile: ['upsert'], profileWithList: ['upsert', 'delete'] },
  limits,
  client: buildCourierClient,
  // One cap on requests in flight for the whole connector, across its batches (COURIER_MAX_IN_FLIGHT).
  state: () => ({ inFlight: new InFlightLimit(COURIER_MAX_IN_FLIGHT) }),
  // `GET /lists`: Courier has no whoami, and list reads are authenticated and not rate limited (section 4.2).
  probe: { answer: COURIER_ANSWERS.listLists, send: listLists, detail: (body) => `Courier token accepted (${describeLists(body)})` },
  prepare: async (call, request) => {
    const list = listOf(call.destination, request.object, request.options)
    return list === undefined ? { created: [], existing: [] } : ensureList(call, list)
  },
  missing: async (call, request) => {
    const list = listOf(call.destination, request.object, request.options)
    if (list === undefined || (await listExists(call, list.id))) return []
    return [`list:${list.id}`]
  },
  deliver: (call, object, batch) => {
    const listId = listOf(call.destination, object, batch.options)?.id
    return deliverProfiles({ ...call, inFlight: call.state.inFlight, listId }, batch.records)
  },
})

function limits(object: string): DeliveryLimits {
  const batchSize = object === 'profileWithList' ? COURIER_LIST_BATCH_SIZE : COURIER_PROFILE_BATCH_SIZE
  // A list batch is one bulk subscribe (a list write) plus one profile merge per record.
  const requestsPerBatch =
    object === 'profileWithList'
      ? { [COURIER_LIST_WRITES_GROUP]: 1, [COURIER_DEFAULT_GROUP]: batchSize }
      : { [COURIER_DEFAULT_GROUP]: batchSize }
  return { batchSize, concurrency: COURIER_DELIVER_CONCURRENCY, requestsPerBatch }
}

/** The list a `profileWithList` sync manages (required), or undefined for `profile`. */
function listOf(destination: string, object: string, options: SyncOptions): CourierListOption | undefined {
  if (object !== 'profileWithList') return undefined
  if (options.list === undefined) {
    throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${destination}": profileWithList needs options.list`)
  }
  return options.list
}

/** "3 lists", from the first page of `GET /lists` ("20+ lists" when there are more pages). */
function describeLists(body: unknown): string {
  const items = isRecord(body) && Array.isArray(body['items']) ? body['items'].length : 0
  const more = isRecord(body) && isRecord(body['paging']) && body['paging']['more'] === true
  return `${items}${more ? '+' : ''} lists`
}
