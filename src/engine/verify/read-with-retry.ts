import { setTimeout as sleep } from 'node:timers/promises'

import type { ReadOutcome, ReadRecord } from '../../destinations/record-reader.js'
import { OutflowError } from '../../errors.js'
import { backoffMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retry-policy.js'

/**
 * Makes a read call, retrying the passing failures (429, 5xx, no answer) as the runner retries
 * deliveries: exponential backoff with jitter, the vendor's `Retry-After` honoured up to the
 * policy's cap. Reads are always safe to repeat. Throws `DESTINATION_RATE_LIMITED` or
 * `DESTINATION_UNAVAILABLE` with the last failure once the tries are used up.
 */
export async function readWithRetry(
  read: () => Promise<ReadOutcome>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, ReadRecord>> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await read()
    if (outcome.ok) return outcome.records
    const { retry } = outcome
    const waitMs = Math.max(retry.retryAfterMs ?? 0, backoffMs(policy, attempt))
    if (attempt >= policy.maxAttempts || (retry.retryAfterMs ?? 0) > (policy.maxRetryAfterMs ?? 120_000)) {
      const code = retry.code === 'rate_limited' ? 'DESTINATION_RATE_LIMITED' : 'DESTINATION_UNAVAILABLE'
      throw new OutflowError(code, `${retry.message} (gave up after ${attempt} tries)`, { retryable: true })
    }
    await sleep(waitMs, undefined, { signal })
  }
}
