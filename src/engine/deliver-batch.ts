import { setTimeout as sleep } from 'node:timers/promises'

import {
  mayHaveArrived,
  type DeliveryBatch,
  type DeliveryRecord,
  type DestinationConnector,
  type RecordResult,
  type RequestGate,
} from '../destinations/destination.js'
import { isOutflowError } from '../errors.js'
import { withDeliveryAttempt } from '../telemetry/delivery-attempt.js'
import type { SyncSpec } from '../model/spec-types.js'
import { backoffMs, type RetryPolicy } from './retry-policy.js'

/** A batch whose records are of a runner's own record type `R`, which {@link deliverBatch} hands back as they were given. */
export type BatchOf<R extends DeliveryRecord> = DeliveryBatch & { records: readonly R[] }

/** A batch of a sync's records, with what the connector needs to know of the sync. */
export function syncBatch<R extends DeliveryRecord>(sync: SyncSpec, records: readonly R[]): BatchOf<R> {
  return { sync: sync.name, object: sync.object, behavior: sync.behavior, keyField: sync.key.field, options: sync.options, records }
}

/** A record's final result, with whether its outcome is unknown (sent, but no answer came). */
export interface FinalResult<R extends DeliveryRecord = DeliveryRecord> {
  record: R
  result: RecordResult
  /** The request may have reached the vendor: a `send` is then never repeated (at most once). */
  outcomeUnknown: boolean
}

/** What delivering one batch took, for counts and benchmarks. */
export interface BatchDelivery<R extends DeliveryRecord = DeliveryRecord> {
  results: FinalResult<R>[]
  /** `deliver` calls made beyond the first (retries and split halves). */
  extraCalls: number
  /** `deliver` calls the vendor answered with its rate limit (429). */
  rateLimited: number
  /**
   * Records refused with the vendor's rate limit and not retried here (`deferRateLimited`): they
   * have no result, and the caller delivers them later.
   */
  deferred: R[]
  /**
   * Why delivery stopped before every record had a result (refused credentials, a request wrong for
   * every record, the run stopped during a backoff): the records left are `failed` with code
   * `stopped`, not taken by the vendor. The caller records the results, then throws this.
   */
  stopped?: Error
}

export interface DeliverOptions {
  policy: RetryPolicy
  /**
   * `send` records must not reach the vendor twice. A record whose request may have arrived (no
   * answer came, or an unexpected one) is not retried and is reported with `outcomeUnknown`. Rate
   * limits, 5xx answers and refused connections say the vendor did not take it, so those are retried.
   */
  atMostOnce: boolean
  signal?: AbortSignal | undefined
  /** Sees the results of every `deliver` call, retries and split halves included (the run's breaker). */
  onAnswer?: ((results: readonly RecordResult[]) => void) | undefined
  /**
   * Records refused with the rate limit are handed back in `deferred` instead of being retried
   * after the vendor's delay: a page spread over workers is a known number of requests, and its
   * rest goes back to the engine's rate-limited queue (see src/temporal/delivery-queues.ts).
   */
  deferRateLimited?: boolean | undefined
}

/**
 * Delivers one batch and resolves to one final result per record: records that failed for a
 * passing reason (429, 5xx, network) are retried with exponential backoff that honours the
 * vendor's `Retry-After`; a batch the vendor refused as a whole (`batch_rejected`) is split in
 * halves until the bad record stands alone and is rejected by itself. Refused credentials throw
 * (the connector's `DESTINATION_AUTH`), which stops the run.
 */
export async function deliverBatch<R extends DeliveryRecord>(
  connector: DestinationConnector,
  batch: BatchOf<R>,
  gate: RequestGate,
  options: DeliverOptions,
): Promise<BatchDelivery<R>> {
  const final: FinalResult<R>[] = []
  const deferred: R[] = []
  let extraCalls = 0
  let rateLimited = 0
  let pending: readonly R[] = batch.records
  const stop = (error: unknown, left: readonly R[]): BatchDelivery<R> => {
    // The vendor answered (401/403, a wrong request) or nothing was sent (a stop during a backoff):
    // the records left were not taken. An unexpected error may have followed a request: in doubt.
    const answered = isOutflowError(error) || options.signal?.aborted === true
    for (const record of left) final.push({ record, result: stoppedResult(record, error), outcomeUnknown: options.atMostOnce && !answered })
    return {
      results: orderLike(batch.records, final, deferred),
      extraCalls,
      rateLimited,
      deferred,
      stopped: error instanceof Error ? error : new Error(String(error)),
    }
  }
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) extraCalls++
    let results: RecordResult[]
    try {
      results = await withDeliveryAttempt(batch.sync, attempt - 1, () => connector.deliver({ ...batch, records: pending }, gate))
    } catch (error) {
      return stop(error, pending)
    }
    options.onAnswer?.(results)
    if (results.some((result) => result.status === 'failed' && result.code === 'rate_limited')) rateLimited++
    const retry: R[] = []
    const split: R[] = []
    let waitMs = 0
    pending.forEach((record, index) => {
      const result = results[index] ?? missingResult(record)
      if (result.status !== 'failed') return final.push({ record, result, outcomeUnknown: false })
      if (result.code === 'batch_rejected') return split.push(record)
      if (options.atMostOnce && mayHaveArrived(result.code)) return final.push({ record, result, outcomeUnknown: true })
      if (options.deferRateLimited === true && result.code === 'rate_limited') return deferred.push(record)
      if (attempt >= options.policy.maxAttempts || (result.retryAfterMs ?? 0) > (options.policy.maxRetryAfterMs ?? 120_000)) {
        return final.push({ record, result, outcomeUnknown: false })
      }
      waitMs = Math.max(waitMs, result.retryAfterMs ?? 0)
      retry.push(record)
    })
    if (split.length === 1 && split[0] !== undefined) final.push(rejectedAlone(split[0], results[pending.indexOf(split[0])]))
    if (split.length > 1) {
      const halves = [split.slice(0, split.length >> 1), split.slice(split.length >> 1)]
      for (const [i, half] of halves.entries()) {
        const delivered = await deliverBatch(connector, { ...batch, records: half }, gate, options)
        extraCalls += 1 + delivered.extraCalls
        rateLimited += delivered.rateLimited
        final.push(...delivered.results)
        deferred.push(...delivered.deferred)
        if (delivered.stopped !== undefined) return stop(delivered.stopped, [...halves.slice(i + 1).flat(), ...retry])
      }
    }
    if (retry.length > 0) {
      try {
        await sleep(Math.max(waitMs, backoffMs(options.policy, attempt)), undefined, { signal: options.signal })
      } catch (error) {
        return stop(error, retry)
      }
    }
    pending = retry
  }
  return { results: orderLike(batch.records, final, deferred), extraCalls, rateLimited, deferred }
}

function stoppedResult(record: DeliveryRecord, error: unknown): RecordResult {
  const message = error instanceof Error ? error.message : String(error)
  return { key: record.key, status: 'failed', code: 'stopped', message: `not sent: ${message}` }
}

/** A record the vendor refused in a batch of one is the bad record: rejected, not failed. */
function rejectedAlone<R extends DeliveryRecord>(record: R, result: RecordResult | undefined): FinalResult<R> {
  const message = result?.status === 'failed' ? result.message : 'refused by the destination'
  return { record, result: { key: record.key, status: 'rejected', code: 'batch_rejected', message }, outcomeUnknown: false }
}

/** A connector that returned fewer results than records broke its contract; the record is failed, to be retried. */
function missingResult(record: DeliveryRecord): RecordResult {
  return { key: record.key, status: 'failed', code: 'no_result', message: 'the connector returned no result for this record' }
}

function orderLike<R extends DeliveryRecord>(records: readonly R[], results: FinalResult<R>[], deferred: readonly R[]): FinalResult<R>[] {
  // Most batches: every record answered at the first try, in order.
  if (deferred.length === 0 && results.length === records.length && results.every((r, index) => r.record === records[index])) return results
  const byRecord = new Map(results.map((r) => [r.record, r]))
  const later = new Set(deferred)
  const ordered: FinalResult<R>[] = []
  for (const record of records)
    if (!later.has(record)) ordered.push(byRecord.get(record) ?? { record, result: missingResult(record), outcomeUnknown: false })
  return ordered
}
