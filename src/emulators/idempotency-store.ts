import type { EmulatorClock } from './clock.js'

/** Twenty-four hours, the minimum lifetime of an idempotency key at Loops and Courier. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

interface Entry<V> {
  value: V
  expiresAtMs: number
}

/** Values kept per idempotency key until they expire, on the emulator's monotonic clock. */
export class IdempotencyStore<V> {
  readonly #clock: EmulatorClock
  readonly #entries = new Map<string, Entry<V>>()

  constructor(clock: EmulatorClock) {
    this.#clock = clock
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (this.#clock.monotonicMs() >= entry.expiresAtMs) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  set(key: string, value: V, ttlMs: number = IDEMPOTENCY_TTL_MS): void {
    this.#entries.set(key, { value, expiresAtMs: this.#clock.monotonicMs() + ttlMs })
  }

  clear(): void {
    this.#entries.clear()
  }
}
