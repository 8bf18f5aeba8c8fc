/**
 * A request-rate limit: at most `limit` requests per `windowMs` milliseconds. Each emulator
 * defaults to the vendor's documented figure; tests lower it, benchmarks raise it, `false`
 * turns it off.
 */
export interface RateLimitConfig {
  limit: number
  windowMs: number
}

/** A limiter's answer to one request. */
export interface RateDecision {
  allowed: boolean
  limit: number
  /** Requests left after this one (0 when refused). */
  remaining: number
  /** When refused: milliseconds until a request would be allowed; 0 otherwise. */
  retryAfterMs: number
  /** Monotonic time (ms) at which the limiter is back to full capacity. */
  resetAtMs: number
}

/** A limiter that can be asked for one request and reset. */
export interface RequestRateLimiter {
  take(): RateDecision
  reset(): void
}

/** Checks a rate-limit setting given in code or on the command line. */
export function validateRateLimit(name: string, config: RateLimitConfig | false): RateLimitConfig | false {
  if (config === false) return false
  if (!Number.isInteger(config.limit) || config.limit < 1 || !(config.windowMs > 0)) {
    throw new RangeError(`${name}: a rate limit needs a positive integer limit and a positive windowMs`)
  }
  return config
}

/** Seconds a client should wait, as `Retry-After` gives them: whole seconds, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): string {
  return String(Math.max(1, Math.ceil(retryAfterMs / 1000)))
}
