import { resolveCredential } from '../../src/credentials/resolve-credential.js'
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
import type { HttpResponse } from '../../src/destinations/http.js'
import { OutflowError } from '../../src/errors.js'
import { isRecord } from '../../src/spec/is-record.js'
import { brazeCatalog } from './braze-catalog.js'
import { listSegments, type BrazeClientConfig } from './braze-client.js'
import { deliverEvents, deliverUsers, type BrazeDelivery } from './braze-delivery.js'
import { classifyBrazeResponse } from './braze-errors.js'
import {
  BRAZE_DEFAULT_RATE_LIMIT,
  BRAZE_DELETE_RATE_LIMIT,
  BRAZE_DELIVER_CONCURRENCY,
  BRAZE_TRACK_BATCH_SIZE,
  BRAZE_TRACK_GROUP,
  BRAZE_TRACK_RATE_LIMIT,
} from './braze-limits.js'
import { brazeErrors } from './braze-outcome.js'
import { checkCallFailure, connectionOfType, objectOf, OPEN_GATE } from '../../src/destinations/connector-support.js'

/** The operation each object takes: users are upserted or deleted, events sent. */
const OBJECT_OPS: Readonly<Record<keyof typeof brazeCatalog.objects, readonly string[]>> = {
  user: ['upsert', 'delete'],
  event: ['send'],
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
export const createBrazeConnector: ConnectorFactory = (options) => new BrazeConnector(options)

class BrazeConnector implements DestinationConnector {
  readonly catalog = brazeCatalog
  readonly rateLimits: readonly RateLimit[] = [BRAZE_TRACK_RATE_LIMIT, BRAZE_DELETE_RATE_LIMIT, BRAZE_DEFAULT_RATE_LIMIT]
  readonly #options: ConnectorOptions
  #client: BrazeClientConfig | undefined

  constructor(options: ConnectorOptions) {
    connectionOfType(options, 'braze')
    this.#options = options
  }

  limits(object: string): DeliveryLimits {
    this.#checkObject(object)
    return { batchSize: BRAZE_TRACK_BATCH_SIZE, concurrency: BRAZE_DELIVER_CONCURRENCY, requestsPerBatch: { [BRAZE_TRACK_GROUP]: 1 } }
  }

  /** `GET /segments/list?page=0` (section 2.2): the cheapest call that proves the key and its instance. */
  async check(gate: RequestGate = OPEN_GATE): Promise<CheckResult> {
    const name = this.#options.name
    let response: HttpResponse
    try {
      response = await listSegments(this.#clientConfig(), gate)
    } catch (error) {
      return checkCallFailure(error, name)
    }
    const where = `HTTP ${response.status}, GET /segments/list`
    if (response.status === 200)
      return { ok: true, detail: `Braze API key accepted (${countSegments(response.body)} segments on the first page)` }
    const { errorClass, code } = classifyBrazeResponse(response)
    if (errorClass === 'auth')
      return { ok: false, code: 'DESTINATION_AUTH', message: brazeErrors.authMessage(name, code, 'GET /segments/list', where) }
    return { ok: false, code: 'DESTINATION_UNAVAILABLE', message: `destination "${name}": Braze answered ${where}` }
  }

  /** Braze needs nothing created first: custom attributes and events appear when first written. */
  prepare(request: PrepareRequest): Promise<PrepareResult> {
    this.#checkObject(request.object)
    return Promise.resolve({ created: [], existing: [] })
  }

  /** Nothing is ever missing; see {@link prepare}. */
  missing(request: PrepareRequest): Promise<string[]> {
    this.#checkObject(request.object)
    return Promise.resolve([])
  }

  async deliver(batch: DeliveryBatch, gate: RequestGate): Promise<RecordResult[]> {
    const object = this.#checkObject(batch.object)
    const wrong = batch.records.find((record) => !OBJECT_OPS[object].includes(record.op))
    if (wrong !== undefined) {
      throw new OutflowError(
        'DESTINATION_REQUEST_INVALID',
        `destination "${this.#options.name}", sync "${batch.sync}": Braze ${object} records cannot be delivered with op "${wrong.op}"`,
      )
    }
    const delivery: BrazeDelivery = { destination: this.#options.name, sync: batch.sync, client: this.#clientConfig(), gate }
    return object === 'user' ? deliverUsers(delivery, batch) : deliverEvents(delivery, batch)
  }

  /** Resolved on first use, so that building a connector never needs the secret. */
  #clientConfig(): BrazeClientConfig {
    const { name, credentials, dispatcher, timeoutMs } = this.#options
    const connection = connectionOfType(this.#options, 'braze')
    this.#client ??= {
      baseUrl: connection.restEndpoint.replace(/\/+$/, ''),
      authHeaders: { authorization: `Bearer ${resolveCredential(connection.apiKey, `destination "${name}" api key`, credentials)}` },
      dispatcher,
      timeoutMs,
    }
    return this.#client
  }

  #checkObject(object: string): keyof typeof brazeCatalog.objects {
    return objectOf(this.catalog, this.#options.name, object)
  }
}

function countSegments(body: unknown): number {
  return isRecord(body) && Array.isArray(body['segments']) ? body['segments'].length : 0
}
