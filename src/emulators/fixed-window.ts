import type { EmulatorClock } from './clock.js'
import type { RateDecision, RateLimitConfig, RequestRateLimiter } from './rate-limit.js'

/**
 * A fixed-window counter: `limit` requests per window of `windowMs`, the window starting at the
 * first request after the previous one ended. It is what an `X-RateLimit-Reset` header describes
 * (Braze: 3,000 `/users/track` requests per 3 seconds; Courier: 20 list writes per minute).
 */
export class FixedWindow implements RequestRateLimiter {
  readonly #config: RateLimitConfig
  readonly #clock: EmulatorClock
  #windowEndMs = Number.NEGATIVE_INFINITY
  #used = 0

  constructor(config: RateLimitConfig, clock: EmulatorClock) {
    this.#config = config
    this.#clock = clock
  }

  take(): RateDecision {
    const now = this.#clock.monotonicMs()
    const { limit, windowMs } = this.#config
    if (now >= this.#windowEndMs) {
      this.#windowEndMs = now + windowMs
      this.#used = 0
    }
    const resetAtMs = this.#windowEndMs
    if (this.#used >= limit) return { allowed: false, limit, remaining: 0, retryAfterMs: resetAtMs - now, resetAtMs }
    this.#used += 1
    return { allowed: true, limit, remaining: limit - this.#used, retryAfterMs: 0, resetAtMs }
  }

  reset(): void {
    this.#windowEndMs = Number.NEGATIVE_INFINITY
    this.#used = 0
  }
}
