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
 * Requests that may leave together, in milliseconds of spacing: timers fire about once a
 * millisecond, so at a thousand requests a second strict spacing would fall behind.
 */
const BURST_MS = 10

/**
 * One limiter per rate-limit group, shared by every sync that uses a destination connection.
 * Requests are paced evenly, one every `perMs × 1.02 / requests` (a generic cell rate: a late
 * timer is caught up by one spacing at most), because vendors count in windows that start with
 * whichever request reaches them first: a burst of a window's budget, delayed a little on the way,
 * overlaps the next window and is refused. The send times of the last `requests` requests are
 * kept as a hard limit as well: no window of `perMs` ever holds more than `requests`. Requests in
 * a group with no declared limit pass at once. Waiters are served in call order. A 429 holds its
 * group for the delay the vendor asks (see `holdOff`): the window it counts may have been filled
 * by another process on the same connection.
 */
export function createRequestGate(limits: readonly RateLimit[], clock: GateClock = systemClock): RequestGate {
  const windows = new Map(limits.map((limit) => [limit.group, new PacedWindow(limit, clock)]))
  return {
    acquire: (group = 'default') => windows.get(group)?.take() ?? Promise.resolve(),
    holdOff: (group, ms) => windows.get(group)?.holdOff(ms),
  }
}

class PacedWindow {
  /** Send times of the last `requests` requests, oldest first (a ring). */
  private readonly sent: number[] = []
  private next = 0
  private tail: Promise<void> = Promise.resolve()
  private readonly windowMs: number
  private readonly spacingMs: number
  private readonly toleranceMs: number
  /** When the next request is due on the even schedule. */
  private due = -Infinity

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: GateClock,
  ) {
    this.windowMs = limit.perMs * (1 + JITTER_MARGIN)
    this.spacingMs = this.windowMs / limit.requests
    // Half a spacing of slack makes up for a late timer without ever sending two at once; at high
    // rates, up to BURST_MS worth of requests may leave together.
    this.toleranceMs = Math.max(BURST_MS - this.spacingMs, this.spacingMs / 2)
  }

  /** No request leaves before `ms` from now; the even schedule resumes from there. */
  holdOff(ms: number): void {
    if (ms > 0) this.due = Math.max(this.due, this.clock.now() + ms)
  }

  /** Resolves when the request may be sent, in call order. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.wait())
    this.tail = turn
    return turn
  }

  private async wait(): Promise<void> {
    for (;;) {
      let waitMs = this.due - this.clock.now()
      if (this.sent.length === this.limit.requests)
        waitMs = Math.max(waitMs, (this.sent[this.next] ?? 0) + this.windowMs - this.clock.now())
      if (waitMs <= 0) break
      await this.clock.sleep(Math.ceil(waitMs))
    }
    const now = this.clock.now()
    // A request released late (a busy event loop, a coarse timer) keeps the schedule: the next one
    // is due one spacing after where this one should have gone, up to the tolerance.
    this.due = (this.due === -Infinity ? now : Math.max(this.due, now - this.toleranceMs)) + this.spacingMs
    if (this.sent.length < this.limit.requests) this.sent.push(now)
    else this.sent[this.next] = now
    this.next = (this.next + 1) % this.limit.requests
  }
}
