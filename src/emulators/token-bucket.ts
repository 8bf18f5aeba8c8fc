import type { EmulatorClock } from './clock.js'
import type { RateDecision, RateLimitConfig, RequestRateLimiter } from './rate-limit.js'

/**
 * A token bucket: `limit` tokens, refilled continuously at `limit` per `windowMs`. It allows a
 * burst of `limit` requests, then a steady `limit / windowMs` (Loops: 10 per second).
 */
export class TokenBucket implements RequestRateLimiter {
  readonly #config: RateLimitConfig
  readonly #clock: EmulatorClock
  #tokens: number
  #updatedAtMs: number

  constructor(config: RateLimitConfig, clock: EmulatorClock) {
    this.#config = config
    this.#clock = clock
    this.#tokens = config.limit
    this.#updatedAtMs = clock.monotonicMs()
  }

  take(): RateDecision {
    const now = this.#refill()
    const { limit, windowMs } = this.#config
    const msPerToken = windowMs / limit
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      const resetAtMs = now + (limit - this.#tokens) * msPerToken
      return { allowed: true, limit, remaining: Math.floor(this.#tokens), retryAfterMs: 0, resetAtMs }
    }
    const retryAfterMs = (1 - this.#tokens) * msPerToken
    return { allowed: false, limit, remaining: 0, retryAfterMs, resetAtMs: now + (limit - this.#tokens) * msPerToken }
  }

  reset(): void {
    this.#tokens = this.#config.limit
    this.#updatedAtMs = this.#clock.monotonicMs()
  }

  #refill(): number {
    const now = this.#clock.monotonicMs()
    const { limit, windowMs } = this.#config
    this.#tokens = Math.min(limit, this.#tokens + ((now - this.#updatedAtMs) * limit) / windowMs)
    this.#updatedAtMs = now
    return now
  }
}
