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
import { isRecord } from '../../src/spec/is-record.js'
import { loopsCatalog } from './loops-catalog.js'
import { testApiKey, type LoopsClientConfig } from './loops-client.js'
import { deliverContact, type LoopsContactDelivery } from './loops-contact-delivery.js'
import { classifyLoopsResponse } from './loops-errors.js'
import { LOOPS_CONTACT_BATCH_SIZE, LOOPS_CONTACT_CONCURRENCY, LOOPS_RATE_LIMIT, LOOPS_REQUEST_GROUP } from './loops-limits.js'
import { applyPropertyPlan, describeMissing, planCustomProperties, type LoopsPrepare } from './loops-prepare.js'
import { checkCallFailure, connectionOfType, objectOf, OPEN_GATE } from '../../src/destinations/connector-support.js'

/** Loops' API base (reference/destinations.md section 1.1). */
const LOOPS_BASE_URL = 'https://app.loops.so/api'

/**
 * Builds the Loops connector: contacts by email or userId, upserted (created first when new, so
 * mirror knows what it created), with optional mailing lists and a trigger event, and deleted by
 * mirror only when this sync created them.
 *
 * @example
 * ```ts
 * const loops = createLoopsConnector({ name: 'loops', connection: { type: 'loops', apiKey: { env: 'LOOPS_API_KEY' } } })
 * const gate = createRequestGate(loops.rateLimits)
 * const results = await loops.deliver(batch, gate)
 * ```
 */
export const createLoopsConnector: ConnectorFactory = (options) => new LoopsConnector(options)

class LoopsConnector implements DestinationConnector {
  readonly catalog = loopsCatalog
  readonly rateLimits: readonly RateLimit[] = [LOOPS_RATE_LIMIT]
  readonly #options: ConnectorOptions
  readonly #createdPending = new Set<string>()
  #client: LoopsClientConfig | undefined

  constructor(options: ConnectorOptions) {
    connectionOfType(options, 'loops')
    this.#options = options
  }

  limits(object: string): DeliveryLimits {
    this.#checkObject(object)
    return { batchSize: LOOPS_CONTACT_BATCH_SIZE, concurrency: LOOPS_CONTACT_CONCURRENCY, requestsPerBatch: { [LOOPS_REQUEST_GROUP]: 1 } }
  }

  /** `GET /v1/api-key`, Loops' own credentials test (section 1.2); the detail names the team. */
  async check(gate: RequestGate = OPEN_GATE): Promise<CheckResult> {
    const name = this.#options.name
    let response: HttpResponse
    try {
      response = await testApiKey(this.#clientConfig(), gate)
    } catch (error) {
      return checkCallFailure(error, name)
    }
    if (response.status === 200) return { ok: true, detail: `Loops team "${readTeamName(response.body)}"` }
    if (classifyLoopsResponse(response).errorClass === 'auth') {
      return { ok: false, code: 'DESTINATION_AUTH', message: `destination "${name}": Loops refused the API key (HTTP ${response.status})` }
    }
    return {
      ok: false,
      code: 'DESTINATION_UNAVAILABLE',
      message: `destination "${name}": Loops answered HTTP ${response.status} to GET /v1/api-key`,
    }
  }

  async prepare(request: PrepareRequest, gate: RequestGate = OPEN_GATE): Promise<PrepareResult> {
    this.#checkObject(request.object)
    const prepare = this.#prepareContext(gate)
    return applyPropertyPlan(prepare, await planCustomProperties(prepare, request))
  }

  async missing(request: PrepareRequest, gate: RequestGate = OPEN_GATE): Promise<string[]> {
    this.#checkObject(request.object)
    return describeMissing(await planCustomProperties(this.#prepareContext(gate), request))
  }

  /**
   * Delivers the batch's contacts one after the other: batches hold one record (Loops has no batch
   * endpoint), so the engine's `concurrency` deliver calls are what run in parallel.
   */
  async deliver(batch: DeliveryBatch, gate: RequestGate): Promise<RecordResult[]> {
    this.#checkObject(batch.object)
    const delivery: LoopsContactDelivery = {
      destination: this.#options.name,
      client: this.#clientConfig(),
      gate,
      options: batch.options,
      keyField: batch.keyField,
      createdPending: this.#createdPending,
      sync: batch.sync,
    }
    const results: RecordResult[] = []
    for (const record of batch.records) results.push(await deliverContact(delivery, record))
    return results
  }

  #prepareContext(gate: RequestGate): LoopsPrepare {
    return { destination: this.#options.name, client: this.#clientConfig(), gate }
  }

  /** Resolved on first use, so that building a connector never needs the secret. */
  #clientConfig(): LoopsClientConfig {
    const { name, credentials, dispatcher, timeoutMs } = this.#options
    const connection = connectionOfType(this.#options, 'loops')
    this.#client ??= {
      baseUrl: (connection.baseUrl ?? LOOPS_BASE_URL).replace(/\/+$/, ''),
      authHeaders: { authorization: `Bearer ${resolveCredential(connection.apiKey, `destination "${name}" api key`, credentials)}` },
      dispatcher,
      timeoutMs,
    }
    return this.#client
  }

  #checkObject(object: string): keyof typeof loopsCatalog.objects {
    return objectOf(this.catalog, this.#options.name, object)
  }
}

function readTeamName(body: unknown): string {
  return isRecord(body) && typeof body['teamName'] === 'string' ? body['teamName'] : 'unknown'
}
