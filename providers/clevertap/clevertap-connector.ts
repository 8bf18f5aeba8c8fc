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
import { clevertapCatalog } from './clevertap-catalog.js'
import { connect, type CleverTapClientConfig } from './clevertap-client.js'
import { deliverEvents, deliverProfiles, type CleverTapDelivery } from './clevertap-delivery.js'
import { classifyCleverTapResponse } from './clevertap-errors.js'
import { CLEVERTAP_UPLOAD_BATCH_SIZE, CLEVERTAP_UPLOAD_CONCURRENCY, CLEVERTAP_UPLOAD_GROUP } from './clevertap-limits.js'
import { clevertapErrors } from './clevertap-outcome.js'
import { checkCallFailure, connectionOfType, objectOf, OPEN_GATE } from '../../src/destinations/connector-support.js'

/** The operation each object takes: profiles are upserted, events sent. */
const OBJECT_OPS: Readonly<Record<keyof typeof clevertapCatalog.objects, string>> = { profile: 'upsert', event: 'send' }

/**
 * Builds the CleverTap connector: profiles by `identity` (upsert) and events (send), both through
 * `POST /1/upload`, up to 1,000 records an upload and 15 uploads in flight.
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
export const createClevertapConnector: ConnectorFactory = (options) => new CleverTapConnector(options)

class CleverTapConnector implements DestinationConnector {
  readonly catalog = clevertapCatalog
  /** CleverTap has no time-window rate limit, only a concurrency limit (section 3.5), expressed in {@link limits}. */
  readonly rateLimits: readonly RateLimit[] = []
  readonly #options: ConnectorOptions
  #client: CleverTapClientConfig | undefined

  constructor(options: ConnectorOptions) {
    connectionOfType(options, 'clevertap')
    this.#options = options
  }

  limits(object: string): DeliveryLimits {
    this.#checkObject(object)
    return {
      batchSize: CLEVERTAP_UPLOAD_BATCH_SIZE,
      concurrency: CLEVERTAP_UPLOAD_CONCURRENCY,
      requestsPerBatch: { [CLEVERTAP_UPLOAD_GROUP]: 1 },
    }
  }

  /** `GET /v1/connect?partner=outflow` (section 3.2); its body is [unverified], so any 2xx passes. */
  async check(gate: RequestGate = OPEN_GATE): Promise<CheckResult> {
    const name = this.#options.name
    let response: HttpResponse
    try {
      response = await connect(this.#clientConfig(), gate)
    } catch (error) {
      return checkCallFailure(error, name)
    }
    const where = `HTTP ${response.status}, GET /v1/connect`
    if (response.status >= 200 && response.status < 300) {
      return { ok: true, detail: `CleverTap account ${this.#clientConfig().accountId} accepted the passcode` }
    }
    if (classifyCleverTapResponse(response).errorClass === 'auth')
      return { ok: false, code: 'DESTINATION_AUTH', message: clevertapErrors.authMessage(name, 'auth', 'GET /v1/connect', where) }
    return { ok: false, code: 'DESTINATION_UNAVAILABLE', message: `destination "${name}": CleverTap answered ${where}` }
  }

  /** CleverTap needs nothing created first: profile keys and event names appear when first uploaded. */
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
    const wrong = batch.records.find((record) => record.op !== OBJECT_OPS[object])
    if (wrong !== undefined) {
      throw new OutflowError(
        'DESTINATION_REQUEST_INVALID',
        `destination "${this.#options.name}", sync "${batch.sync}": CleverTap ${object} records cannot be delivered with op "${wrong.op}"`,
      )
    }
    const delivery: CleverTapDelivery = { destination: this.#options.name, sync: batch.sync, client: this.#clientConfig(), gate }
    return object === 'profile' ? deliverProfiles(delivery, batch) : deliverEvents(delivery, batch)
  }

  /**
   * Resolved on first use, so that building a connector never needs the secret. The host is
   * `https://<region>.api.clevertap.com`, as the official Node SDK builds it; for Europe the docs
   * name `api.clevertap.com` while the SDK uses `eu1.api.clevertap.com`, which is kept (section 3.1).
   */
  #clientConfig(): CleverTapClientConfig {
    const { name, credentials, dispatcher, timeoutMs } = this.#options
    const connection = connectionOfType(this.#options, 'clevertap')
    this.#client ??= {
      baseUrl: (connection.baseUrl ?? `https://${connection.region}.api.clevertap.com`).replace(/\/+$/, ''),
      accountId: connection.accountId,
      authHeaders: {
        'x-clevertap-account-id': connection.accountId,
        'x-clevertap-passcode': resolveCredential(connection.passcode, `destination "${name}" passcode`, credentials),
      },
      dispatcher,
      timeoutMs,
    }
    return this.#client
  }

  #checkObject(object: string): keyof typeof clevertapCatalog.objects {
    return objectOf(this.catalog, this.#options.name, object)
  }
}
