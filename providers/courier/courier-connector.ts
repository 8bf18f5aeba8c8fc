import type {
  CheckResult,
  ConnectorFactory,
  ConnectorOptions,
  DeliveryBatch,
  DeliveryLimits,
  DestinationConnector,
  PrepareRequest,
  PrepareResult,
  RateLimit,
  RecordResult,
  RequestGate,
} from '../../src/destinations/destination.js'
import { resolveCredential } from '../../src/credentials/resolve-credential.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { OutflowError } from '../../src/errors.js'
import type { CourierListOption } from '../../src/spec/spec-document-types.generated.js'
import type { SyncOptions } from '../../src/spec/spec-types.js'
import { isRecord } from '../../src/spec/is-record.js'
import { courierCatalog } from './courier-catalog.js'
import { listLists, type CourierClientConfig } from './courier-client.js'
import { classifyCourierResponse } from './courier-errors.js'
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
import { ensureList, listExists, type CourierPrepare } from './courier-prepare.js'
import { deliverProfiles } from './courier-profile-delivery.js'
import { checkCallFailure, connectionOfType, objectOf, OPEN_GATE } from '../../src/destinations/connector-support.js'

/** Courier's API base (@trycourier/courier `client.ts`; reference/destinations.md section 4.1). */
const COURIER_BASE_URL = 'https://api.courier.com'

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
export const createCourierConnector: ConnectorFactory = (options) => new CourierConnector(options)

class CourierConnector implements DestinationConnector {
  readonly catalog = courierCatalog
  readonly rateLimits: readonly RateLimit[] = [COURIER_LIST_WRITE_LIMIT]
  readonly #options: ConnectorOptions
  readonly #inFlight = new InFlightLimit(COURIER_MAX_IN_FLIGHT)
  #client: CourierClientConfig | undefined

  constructor(options: ConnectorOptions) {
    connectionOfType(options, 'courier')
    this.#options = options
  }

  limits(object: string): DeliveryLimits {
    this.#checkObject(object)
    const batchSize = object === 'profileWithList' ? COURIER_LIST_BATCH_SIZE : COURIER_PROFILE_BATCH_SIZE
    // A list batch is one bulk subscribe (a list write) plus one profile merge per record.
    const requestsPerBatch =
      object === 'profileWithList'
        ? { [COURIER_LIST_WRITES_GROUP]: 1, [COURIER_DEFAULT_GROUP]: batchSize }
        : { [COURIER_DEFAULT_GROUP]: batchSize }
    return { batchSize, concurrency: COURIER_DELIVER_CONCURRENCY, requestsPerBatch }
  }

  /** `GET /lists`: Courier has no whoami, and list reads are authenticated and not rate limited (section 4.2). */
  async check(gate: RequestGate = OPEN_GATE): Promise<CheckResult> {
    const name = this.#options.name
    let response: HttpResponse
    try {
      response = await listLists(this.#clientConfig(), gate)
    } catch (error) {
      return checkCallFailure(error, name)
    }
    if (response.status === 200) return { ok: true, detail: `Courier token accepted (${describeLists(response.body)})` }
    if (classifyCourierResponse(response).errorClass === 'auth') {
      return {
        ok: false,
        code: 'DESTINATION_AUTH',
        message: `destination "${name}": Courier refused the auth token (HTTP ${response.status})`,
      }
    }
    return {
      ok: false,
      code: 'DESTINATION_UNAVAILABLE',
      message: `destination "${name}": Courier answered HTTP ${response.status} to GET /lists`,
    }
  }

  async prepare(request: PrepareRequest, gate: RequestGate = OPEN_GATE): Promise<PrepareResult> {
    const list = this.#listOf(request.object, request.options)
    return list === undefined ? { created: [], existing: [] } : ensureList(this.#prepareContext(gate), list)
  }

  async missing(request: PrepareRequest, gate: RequestGate = OPEN_GATE): Promise<string[]> {
    const list = this.#listOf(request.object, request.options)
    if (list === undefined || (await listExists(this.#prepareContext(gate), list.id))) return []
    return [`list:${list.id}`]
  }

  async deliver(batch: DeliveryBatch, gate: RequestGate): Promise<RecordResult[]> {
    const list = this.#listOf(batch.object, batch.options)
    const delivery = { destination: this.#options.name, client: this.#clientConfig(), gate, inFlight: this.#inFlight, listId: list?.id }
    return deliverProfiles(delivery, batch.records)
  }

  /** The list a `profileWithList` sync manages (required), or undefined for `profile`. */
  #listOf(object: string, options: SyncOptions): CourierListOption | undefined {
    this.#checkObject(object)
    if (object !== 'profileWithList') return undefined
    if (options.list === undefined) {
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${this.#options.name}": profileWithList needs options.list`)
    }
    return options.list
  }

  #prepareContext(gate: RequestGate): CourierPrepare {
    return { destination: this.#options.name, client: this.#clientConfig(), gate }
  }

  /** Resolved on first use, so that building a connector never needs the secret. */
  #clientConfig(): CourierClientConfig {
    const { name, credentials, dispatcher, timeoutMs } = this.#options
    const connection = connectionOfType(this.#options, 'courier')
    this.#client ??= {
      baseUrl: (connection.baseUrl ?? COURIER_BASE_URL).replace(/\/+$/, ''),
      authHeaders: { authorization: `Bearer ${resolveCredential(connection.authToken, `destination "${name}" auth token`, credentials)}` },
      dispatcher,
      timeoutMs,
    }
    return this.#client
  }

  #checkObject(object: string): keyof typeof courierCatalog.objects {
    return objectOf(this.catalog, this.#options.name, object)
  }
}

/** "3 lists", from the first page of `GET /lists` ("20+ lists" when there are more pages). */
function describeLists(body: unknown): string {
  const items = isRecord(body) && Array.isArray(body['items']) ? body['items'].length : 0
  const more = isRecord(body) && isRecord(body['paging']) && body['paging']['more'] === true
  return `${items}${more ? '+' : ''} lists`
}
