/** How often, and how patiently, a record that failed for a passing reason is tried again within a run. */
export interface RetryPolicy {
  /** Tries per record, the first included. */
  maxAttempts: number
  /** The first backoff; each retry doubles it, up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /**
   * The longest `Retry-After` waited for within the run; a vendor asking for more (an hour, say)
   * gets its pause from the next run, instead of a batch slot and the lease held meanwhile.
   * @default 120000
   */
  maxRetryAfterMs?: number
}

/** Six tries over about half a minute: long enough for a vendor's blip, short enough to move on. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 }

/** Exponential backoff with full jitter between half and all of the step, so retries of parallel batches spread out. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(step / 2 + (Math.random() * step) / 2)
}
