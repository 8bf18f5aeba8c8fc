import type { RateLimit, RequestGate } from '../destinations/destination.js'

/** Time source, so tests can drive the gate without waiting. */
export interface GateClock {
  now(): number
  sleep(ms: number): Promise<void>
}

const systemClock: GateClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

/**
 * A token bucket per rate-limit group, shared by every sync that uses one destination connection.
 * Each bucket holds at most `requests` tokens and refills continuously at `requests / perMs`, so
 * bursts up to the vendor's window are allowed and the sustained rate never exceeds the limit.
 * Requests in a group with no declared limit pass at once. Waiters are served in call order.
 */
export function createRequestGate(limits: readonly RateLimit[], clock: GateClock = systemClock): RequestGate {
  const buckets = new Map(limits.map((limit) => [limit.group, new TokenBucket(limit, clock)]))
  return {
    acquire: (group = 'default') => buckets.get(group)?.take() ?? Promise.resolve(),
  }
}

class TokenBucket {
  private tokens: number
  private updatedAt: number
  private tail: Promise<void> = Promise.resolve()
  private readonly perToken: number

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: GateClock,
  ) {
    this.tokens = limit.requests
    this.updatedAt = clock.now()
    this.perToken = limit.perMs / limit.requests
  }

  /** Resolves when a token is available, in call order. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.wait())
    this.tail = turn
    return turn
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.clock.now()
      this.tokens = Math.min(this.limit.requests, this.tokens + (now - this.updatedAt) / this.perToken)
      this.updatedAt = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.clock.sleep(Math.ceil((1 - this.tokens) * this.perToken))
    }
  }
}
