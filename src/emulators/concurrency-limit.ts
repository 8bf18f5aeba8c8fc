/**
 * A cap on requests in flight at once (CleverTap limits uploads this way, not per time window).
 * `tryAcquire` returns a release function, or `undefined` when the cap is reached.
 */
export class ConcurrencyLimit {
  readonly #max: number
  #inFlight = 0

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`a concurrency limit must be a positive integer: got ${max}`)
    this.#max = max
  }

  get inFlight(): number {
    return this.#inFlight
  }

  tryAcquire(): (() => void) | undefined {
    if (this.#inFlight >= this.#max) return undefined
    this.#inFlight += 1
    let released = false
    return () => {
      // Idempotent, so a handler that both finishes and is aborted frees its slot once.
      if (released) return
      released = true
      this.#inFlight -= 1
    }
  }
}
