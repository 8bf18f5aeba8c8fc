import type { FailureCode, RecordResult } from '../destinations/destination.js'

/**
 * Consecutive failed requests for one cause after which a run stops. Twenty requests, each
 * retried with backoff, are a minute or more of a vendor that takes nothing: long enough to ride
 * out a blip, short enough that a run does not crawl for minutes per wave of batches.
 * @default 20
 */
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 20

/** Failures that say nothing about the vendor's health: they never trip the breaker. */
const NOT_COUNTED: ReadonlySet<FailureCode> = new Set(['batch_rejected', 'stopped'])

/** Why a breaker stopped a run: its cause, and the vendor's last message for it. */
export interface BreakerTrip {
  code: FailureCode
  failures: number
  message: string
}

/**
 * A run-level circuit breaker. Every answered `deliver` call is shown to it; when `limit` calls in
 * a row, across all batches in flight, failed every record for the same cause (a 429 that keeps
 * coming, a 5xx, an unexpected answer), it trips: the run stops taking batches and ends `partial`
 * with that cause. One call that has any record accepted or refused resets it.
 */
export class FailureBreaker {
  readonly #limit: number
  readonly #controller = new AbortController()
  #cause: FailureCode | undefined
  #count = 0
  #lastMessage = ''
  #trip: BreakerTrip | undefined

  /**
   * @param limit consecutive failed calls that trip it; 0 turns it off.
   * @param streak failures in a row already seen (a run spread over workers carries it from page to page).
   */
  constructor(limit: number = DEFAULT_MAX_CONSECUTIVE_FAILURES, streak?: { code: FailureCode; count: number; message: string }) {
    this.#limit = limit
    if (streak !== undefined) {
      this.#cause = streak.code
      this.#count = streak.count
      this.#lastMessage = streak.message
    }
  }

  /** The failures in a row for one cause so far; undefined after a call that had any success. */
  get streak(): { code: FailureCode; count: number; message: string } | undefined {
    return this.#cause === undefined ? undefined : { code: this.#cause, count: this.#count, message: this.#lastMessage }
  }

  /** Aborted when the breaker trips. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** Set once the breaker has tripped. */
  get trip(): BreakerTrip | undefined {
    return this.#trip
  }

  /** Shows the breaker the results of one `deliver` call. */
  observe(results: readonly RecordResult[]): void {
    const codes = new Set(results.map((result) => (result.status === 'failed' ? result.code : undefined)))
    const [code] = codes
    if (codes.size !== 1 || code === undefined) {
      this.#cause = undefined
      this.#count = 0
      return
    }
    if (NOT_COUNTED.has(code)) return
    this.#count = code === this.#cause ? this.#count + 1 : 1
    this.#cause = code
    const failure = results[0]
    if (failure?.status === 'failed') this.#lastMessage = failure.message
    if (this.#limit > 0 && this.#count >= this.#limit && this.#trip === undefined) {
      this.#trip = { code, failures: this.#count, message: this.#lastMessage }
      this.#controller.abort(this.#trip)
    }
  }
}

/** The words a tripped breaker leaves on the run. */
export function describeTrip(trip: BreakerTrip): string {
  return `stopped after ${trip.failures} requests in a row failed for the same cause (${trip.code}): ${trip.message}; the rows not delivered are sent by the next run`
}
