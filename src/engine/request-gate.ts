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
 * Spare time added to each window, as a share of it: requests leave here evenly spaced, but may
 * reach the vendor bunched by network jitter. 2% keeps delivery near the limit and off its edge.
 */
const JITTER_MARGIN = 0.02

/**
 * One limiter per rate-limit group, shared by every sync that uses a destination connection.
 * Each keeps the send times of its last `requests` requests and lets the next one go only when
 * the oldest of them is a full window old: no window of `perMs` ever holds more than `requests`,
 * whether the vendor counts in a token bucket, a sliding window or fixed windows. Requests in a
 * group with no declared limit pass at once. Waiters are served in call order.
 */
export function createRequestGate(limits: readonly RateLimit[], clock: GateClock = systemClock): RequestGate {
  const windows = new Map(limits.map((limit) => [limit.group, new SlidingWindow(limit, clock)]))
  return {
    acquire: (group = 'default') => windows.get(group)?.take() ?? Promise.resolve(),
  }
}

class SlidingWindow {
  /** Send times of the last `requests` requests, oldest first (a ring). */
  private readonly sent: number[] = []
  private next = 0
  private tail: Promise<void> = Promise.resolve()
  private readonly windowMs: number

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: GateClock,
  ) {
    this.windowMs = limit.perMs * (1 + JITTER_MARGIN)
  }

  /** Resolves when the request may be sent, in call order. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.wait())
    this.tail = turn
    return turn
  }

  private async wait(): Promise<void> {
    if (this.sent.length === this.limit.requests) {
      const oldest = this.sent[this.next] ?? 0
      const waitMs = oldest + this.windowMs - this.clock.now()
      if (waitMs > 0) await this.clock.sleep(Math.ceil(waitMs))
    }
    const now = this.clock.now()
    if (this.sent.length < this.limit.requests) this.sent.push(now)
    else this.sent[this.next] = now
    this.next = (this.next + 1) % this.limit.requests
  }
}
