import type { EmulatorClock } from './clock.js'
import type { FaultRuleStatus } from './fault-injector.js'
import type { FaultRule } from './fault-rule.js'
import type { RequestLogEntry } from './request-log.js'

/**
 * A running (or startable) emulator of one vendor API: a loopback HTTP server with in-memory
 * state, the vendor's auth, limits and error shapes, and the admin API under `/_emulator/`.
 *
 * @example
 * ```ts
 * const loops = await startLoopsEmulator()
 * // point the client at loops.url, with the API key `loops-test-key`
 * expect(loops.state().contacts).toHaveLength(1)
 * await loops.stop()
 * ```
 */
export interface Emulator<State = unknown> {
  /** The vendor: `loops`, `braze`, `clevertap` or `courier`. */
  readonly name: string
  /** The base URL (`http://127.0.0.1:<port>`); throws before `start()`. */
  readonly url: string
  /** Starts listening; resolves to the base URL. */
  start(): Promise<string>
  /** Stops listening and closes open connections. */
  stop(): Promise<void>
  /** Every stored record, as `GET /_emulator/state` returns it. */
  state(): State
  /** Clears state, faults, rate-limit counters, idempotency keys and the request log. */
  reset(): void
  /** Replaces the fault rules; throws a `RangeError` listing every problem of an invalid rule. */
  setFaults(rules: readonly FaultRule[]): void
  /** The fault rules with what is left of each. */
  faults(): FaultRuleStatus[]
  /** The most recent vendor requests, oldest first. */
  requests(): RequestLogEntry[]
}

/** One vendor request and its answer, given to {@link EmulatorConfig.onExchange}. */
export interface EmulatorExchange {
  /** The operation the request matched (an OpenAPI operationId for Loops and Courier). */
  operation: string
  method: string
  path: string
  status: number
  requestBody: unknown
  /** `undefined` for an empty body (204) and for a raw one (see `responseText`). */
  responseBody: unknown
  /** The body as sent when it is not JSON: a fault rule's `bodyText`. */
  responseText?: string
}

/** Settings every emulator takes. */
export interface EmulatorConfig {
  /**
   * Address to listen on. Loopback by default: the emulators have no TLS and default credentials.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * Port to listen on; 0 picks a free one.
   * @default 0
   */
  port?: number
  /**
   * Time source for rate limits, expiries and timestamps.
   * @default systemClock
   */
  clock?: EmulatorClock
  /**
   * Largest request body accepted; larger ones get 413.
   * @default 5242880 (5 MiB)
   */
  bodyLimitBytes?: number
  /**
   * How many requests `GET /_emulator/requests` keeps.
   * @default 1000
   */
  requestLogSize?: number
  /** Fault rules active from the start. */
  faults?: readonly FaultRule[]
  /**
   * Send `Retry-After` on 429 answers (rate limits and 429 faults without their own
   * `retryAfterSeconds`). None of the four vendors documents the header, so it is off.
   * @default false
   */
  retryAfter?: boolean
  /** Called after each vendor request is answered; tests use it to check responses against OpenAPI. */
  onExchange?: (exchange: EmulatorExchange) => void
}

/** Defaults of {@link EmulatorConfig}. */
export const EMULATOR_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  bodyLimitBytes: 5 * 1024 * 1024,
  requestLogSize: 1000,
} as const
