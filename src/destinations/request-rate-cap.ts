import { OutflowError } from '../errors.js'
import type { RateLimit } from './destination.js'

/** The highest `maxRequestsPerSecond` a connection takes (the bound `destination.v1.schema.json` sets). */
export const MAX_REQUESTS_PER_SECOND = 100_000

/**
 * The rate limits of a connection under its `maxRequestsPerSecond`, for an API key the vendor
 * counts together with other tools. Each declared group is held to at most that many requests a
 * second: a group whose documented limit is lower keeps it, window and all; a higher one is paced
 * at the cap instead. Groups the vendor does not rate limit (`unlimitedGroups`: CleverTap's
 * uploads, Courier's profile merges) get the cap too, so that it bounds every request the
 * connection makes. Without a cap the limits are returned as they are.
 */
export function capRateLimits(
  destination: string,
  limits: readonly RateLimit[],
  maxRequestsPerSecond: number | undefined,
  unlimitedGroups: readonly string[] = [],
): readonly RateLimit[] {
  if (maxRequestsPerSecond === undefined) return limits
  if (!(maxRequestsPerSecond > 0 && maxRequestsPerSecond <= MAX_REQUESTS_PER_SECOND)) {
    throw new OutflowError(
      'SPEC_INVALID',
      `destination "${destination}": maxRequestsPerSecond must be a number above 0 and at most ${MAX_REQUESTS_PER_SECOND}, not ${String(maxRequestsPerSecond)}`,
    )
  }
  const capped = limits.map((limit) =>
    (limit.requests * 1000) / limit.perMs <= maxRequestsPerSecond ? limit : atRate(limit.group, maxRequestsPerSecond),
  )
  const declared = new Set(limits.map((limit) => limit.group))
  const unlimited = unlimitedGroups.filter((group) => !declared.has(group)).map((group) => atRate(group, maxRequestsPerSecond))
  return [...capped, ...unlimited]
}

/**
 * `rate` requests a second as a limit in whole requests, as the gate counts them: per 1000 ms for
 * a whole number, else over the window that holds a whole number (2.5 a second: 2 per 800 ms).
 */
function atRate(group: string, rate: number): RateLimit {
  if (Number.isInteger(rate)) return { group, requests: rate, perMs: 1000 }
  const requests = Math.max(1, Math.floor(rate))
  return { group, requests, perMs: (requests * 1000) / rate }
}
