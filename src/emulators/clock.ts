/**
 * Where an emulator reads time. Rate limits and expiries use the monotonic reading, so a wall
 * clock that jumps (NTP, a laptop waking up) never refills a bucket early; timestamps in bodies
 * and epoch-second rate-limit headers use the wall reading.
 */
export interface EmulatorClock {
  /** Milliseconds from an arbitrary origin that never goes backwards. */
  monotonicMs(): number
  /** Milliseconds since the Unix epoch. */
  epochMs(): number
}

/** The process's clocks: `performance.now()` and `Date.now()`. */
export const systemClock: EmulatorClock = {
  monotonicMs: () => performance.now(),
  epochMs: () => Date.now(),
}

/**
 * A clock that moves only when told to, so tests cross a rate-limit window or a 24-hour
 * idempotency expiry without waiting.
 *
 * @example
 * ```ts
 * const clock = new ManualClock()
 * const loops = await startLoopsEmulator({ clock })
 * clock.advance(1000) // the token bucket is full again
 * ```
 */
export class ManualClock implements EmulatorClock {
  #monotonic = 0
  #epoch: number

  /** @param epochMs the wall-clock reading to start from (default: now). */
  constructor(epochMs: number = Date.now()) {
    this.#epoch = epochMs
  }

  monotonicMs(): number {
    return this.#monotonic
  }

  epochMs(): number {
    return this.#epoch
  }

  /** Moves both readings forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a clock moves forward only: got ${ms} ms`)
    this.#monotonic += ms
    this.#epoch += ms
  }
}
