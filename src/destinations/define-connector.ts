import { OutflowError } from '../errors.js'
import { connectionOfType, objectOf, OPEN_GATE } from './connector-support.js'
import { probeCredentials } from './credential-probe.js'
import { capRateLimits } from './request-rate-cap.js'
import type { DestinationCatalog, DestinationType } from './destination-catalog.js'
import type {
  CheckResult,
  ConnectorFactory,
  ConnectorOptions,
  DeliveryBatch,
  DeliveryLimits,
  DeliveryRecord,
  DestinationConnector,
  PrepareRequest,
  PrepareResult,
  RateLimit,
  RecordResult,
  RequestGate,
} from './destination.js'
import type { ExpectedAnswer } from './expected-answer.js'
import type { HttpResponse } from './http.js'
import type { VendorClient } from './vendor-client.js'
import { lazyVendorClient, type ClientBuilder } from './vendor-client-builder.js'
import type { VendorErrors } from './vendor-outcome.js'

/** What a vendor's callbacks get: who is calling, its client, the gate, and the connector's own state. */
export interface VendorCall<Client, State> {
  /** The destination's name, for messages. */
  destination: string
  client: Client
  gate: RequestGate
  /** Per connector (Loops' pending creations, Courier's in-flight cap), made by `state()`. */
  state: State
}

/**
 * A vendor, as data and callbacks: what {@link defineConnector} turns into a connector. The
 * template owns the class shell, the connection and object checks, the credentials (resolved on
 * first use, so building a connector never needs the secret), the credentials check against the
 * probe's documented answer, and the refusal of records an object does not take.
 */
export interface ConnectorDefinition<T extends DestinationType, C extends DestinationCatalog, Client extends VendorClient, State> {
  type: T
  catalog: C
  /** The vendor's rate limits, by request group; each with its source where declared. */
  rateLimits: readonly RateLimit[]
  /**
   * The request groups the vendor documents no rate limit for: a connection's
   * `maxRequestsPerSecond` limits them as well as the declared ones.
   */
  unlimitedGroups: readonly string[]
  /** The vendor's error table and message reader. */
  errors: VendorErrors
  /** The record operations each object takes; any other is a bug, refused before a request. */
  ops: { readonly [O in keyof C['objects']]: readonly DeliveryRecord['op'][] }
  limits(object: keyof C['objects'] & string): DeliveryLimits
  /** Builds the client: base URL and auth headers (`<vendor>-client.ts`, shared with the reader). */
  client: ClientBuilder<T, Client>
  /** State kept per connector instance, shared by its deliveries. */
  state(): State
  /** The vendor's cheapest authenticated call, its documented success, and what a pass says. */
  probe: {
    answer: ExpectedAnswer
    send(client: Client, gate: RequestGate): Promise<HttpResponse>
    detail(body: unknown, client: Client): string
  }
  /** Creates what a sync needs first (Loops properties, Courier lists). Nothing when omitted. */
  prepare?(call: VendorCall<Client, State>, request: PrepareRequest): Promise<PrepareResult>
  /** Lists what `prepare` would create. Nothing when omitted. */
  missing?(call: VendorCall<Client, State>, request: PrepareRequest): Promise<string[]>
  /** Delivers a batch whose records the template checked; one result per record, in order. */
  deliver(
    call: VendorCall<Client, State> & { sync: string },
    object: keyof C['objects'] & string,
    batch: DeliveryBatch,
  ): Promise<RecordResult[]>
}

/**
 * Makes a vendor's connector factory from its definition.
 *
 * @example
 * ```ts
 * export const createBrazeConnector = defineConnector({ type: 'braze', catalog: brazeCatalog, ... })
 * ```
 */
export function defineConnector<T extends DestinationType, C extends DestinationCatalog, Client extends VendorClient, State>(
  definition: ConnectorDefinition<T, C, Client, State>,
): ConnectorFactory {
  return (options) => new DefinedConnector(definition, options)
}

class DefinedConnector<
  T extends DestinationType,
  C extends DestinationCatalog,
  Client extends VendorClient,
  State,
> implements DestinationConnector {
  readonly catalog: C
  readonly rateLimits: readonly RateLimit[]
  readonly #definition: ConnectorDefinition<T, C, Client, State>
  readonly #options: ConnectorOptions
  readonly #state: State
  readonly #vendorClient: () => Client

  constructor(definition: ConnectorDefinition<T, C, Client, State>, options: ConnectorOptions) {
    connectionOfType(options, definition.type)
    this.catalog = definition.catalog
    // Where a connection's `maxRequestsPerSecond` reaches its connector: every gate, plan estimate and check reads `rateLimits`.
    this.rateLimits = capRateLimits(
      options.name,
      definition.rateLimits,
      options.connection.maxRequestsPerSecond,
      definition.unlimitedGroups,
    )
    this.#definition = definition
    this.#options = options
    this.#state = definition.state()
    this.#vendorClient = lazyVendorClient(options, definition.type, definition.client)
  }

  limits(object: string): DeliveryLimits {
    return this.#definition.limits(this.#object(object))
  }

  check(gate: RequestGate = OPEN_GATE): Promise<CheckResult> {
    const { errors, probe } = this.#definition
    return probeCredentials({
      destination: this.#options.name,
      errors,
      answer: probe.answer,
      send: () => probe.send(this.#vendorClient(), gate),
      detail: (body) => probe.detail(body, this.#vendorClient()),
    })
  }

  async prepare(request: PrepareRequest, gate: RequestGate = OPEN_GATE): Promise<PrepareResult> {
    this.#object(request.object)
    return (await this.#definition.prepare?.(this.#call(gate), request)) ?? { created: [], existing: [] }
  }

  async missing(request: PrepareRequest, gate: RequestGate = OPEN_GATE): Promise<string[]> {
    this.#object(request.object)
    return (await this.#definition.missing?.(this.#call(gate), request)) ?? []
  }

  deliver(batch: DeliveryBatch, gate: RequestGate): Promise<RecordResult[]> {
    const object = this.#object(batch.object)
    const allowed = this.#definition.ops[object]
    const wrong = batch.records.find((record) => !allowed.includes(record.op))
    if (wrong !== undefined) {
      const vendor = this.catalog.displayName
      throw new OutflowError(
        'DESTINATION_REQUEST_INVALID',
        `destination "${this.#options.name}", sync "${batch.sync}": ${vendor} ${object} records cannot be delivered with op "${wrong.op}"`,
      )
    }
    return this.#definition.deliver({ ...this.#call(gate), sync: batch.sync }, object, batch)
  }

  #call(gate: RequestGate): VendorCall<Client, State> {
    // The client is resolved lazily: a getter keeps `prepare` of an object that needs no request free of the secret.
    const vendorClient = () => this.#vendorClient()
    return {
      destination: this.#options.name,
      get client() {
        return vendorClient()
      },
      gate,
      state: this.#state,
    }
  }

  #object(object: string): keyof C['objects'] & string {
    return objectOf(this.catalog, this.#options.name, object)
  }
}
