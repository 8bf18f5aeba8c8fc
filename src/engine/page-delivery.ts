import type { DeliveryLimits, DeliveryRecord, DestinationConnector, RequestGate } from '../destinations/destination.js'
import type { SyncSpec } from '../model/spec-types.js'
import type { ChangeRow } from '../warehouse/diff/compute-diff.js'
import type { AcceptedRow } from '../warehouse/state/snapshot.js'
import type { SyncStateStore } from '../warehouse/state/sync-state-store.js'
import { assemblePage, retryCandidates, type PageCounts } from './assemble-page.js'
import { deliverBatch, syncBatch, type FinalResult } from './deliver-batch.js'
import type { FailureBreaker } from './failure-breaker.js'
import type { FailureTally } from './failure-tally.js'
import type { MappedRecord, MappedRow } from './map-record.js'
import type { ResultRecorder } from './result-recorder.js'
import type { RetryPolicy } from './retry-policy.js'
import type { SyncRunCounts } from './sync-run-result.js'
import type { TaskPool } from './task-pool.js'

/** What delivering pages adds up: counts by outcome, and the `deliver` calls it took. */
export interface DeliveryTally {
  counts: SyncRunCounts
  deliveries: number
  retries: number
  /** `deliver` calls answered 429. */
  rateLimited: number
}

/**
 * Everything that delivers the pages of one run's change set: the local runner keeps one for the
 * whole run; a worker builds one for each page it is given.
 */
export interface PageDeliveryContext {
  sync: SyncSpec
  connector: DestinationConnector
  gate: RequestGate
  limits: DeliveryLimits
  map: (row: ChangeRow) => MappedRow
  state: SyncStateStore
  runId: string
  recorder: ResultRecorder
  /** Batches in flight, at the connector's concurrency. */
  pool: TaskPool
  retry: RetryPolicy
  signal: AbortSignal
  breaker: FailureBreaker
  failures: FailureTally
  /** Whether the sync had rejected rows when the run began: only then are retried rows looked up. */
  hadRejections: boolean
  tally: DeliveryTally
  /** Called with the number of rows that got a result. */
  onHandled(rows: number): void
  /**
   * Set when the page is one of a run spread over workers: after a 429, the page sends nothing
   * more and its records left are handed back here, to go through the engine's queue again.
   */
  deferral?: PageDeferral | undefined
  /**
   * The page is the rest of one handed back before: its rows were counted and its refusals
   * recorded then, so only its records are delivered.
   */
  resumed?: boolean | undefined
}

/** The keys of a page's records handed back after a 429, not delivered. */
export interface PageDeferral {
  keys: string[]
}

const NONE: ReadonlySet<string> = new Set()

/**
 * Delivers one page of change rows: maps and checks them (refused rows are recorded as
 * rejected), then submits its batches to the pool; `send` events get their intent written before
 * they leave. Resolves once the last batch is submitted; the caller drains the pool.
 */
export async function deliverPageRows(context: PageDeliveryContext, rows: readonly ChangeRow[]): Promise<void> {
  const { signal, state, recorder, pool, limits } = context
  signal.throwIfAborted()
  const retried = context.hadRejections ? await state.rejectedAmong(retryCandidates(rows)) : NONE
  const page = assemblePage(rows, context.map, retried)
  if (context.resumed !== true) addPageCounts(context.tally.counts, page.counts)
  if (page.refused.length > 0 && context.resumed !== true) {
    recorder.reject(page.refused)
    context.onHandled(page.refused.length)
  }
  for (const chunk of batchesOf(page.records, limits)) {
    signal.throwIfAborted()
    // A stop while every slot was busy must not start one more batch.
    await pool.submit(() => (signal.throwIfAborted(), deliverOne(context, chunk)))
  }
}

async function deliverOne(context: PageDeliveryContext, records: MappedRecord[]): Promise<void> {
  const { sync, state, runId, recorder, tally, deferral } = context
  const isSend = sync.behavior === 'send'
  if (deferral !== undefined && deferral.keys.length > 0) {
    // The vendor's window is spent: nothing more leaves with this page.
    for (const record of records) deferral.keys.push(record.key)
    return
  }
  if (isSend) {
    // The intent is durable before the first byte is sent: a crash leaves it, and the event is not sent again.
    await state.recordIntents(
      records.map((r) => r.key),
      runId,
    )
  }
  const delivered = await deliverBatch(context.connector, syncBatch(sync, records), context.gate, {
    policy: context.retry,
    atMostOnce: isSend,
    signal: context.signal,
    onAnswer: (results) => context.breaker.observe(results),
    deferRateLimited: deferral !== undefined,
  })
  for (const record of delivered.deferred) deferral?.keys.push(record.key)
  tally.deliveries += 1 + delivered.extraCalls
  tally.retries += delivered.extraCalls
  tally.rateLimited += delivered.rateLimited
  recordResults(delivered.results, isSend, recorder, tally.counts, context.failures)
  context.onHandled(delivered.results.length)
  await recorder.room()
  if (delivered.stopped !== undefined) throw delivered.stopped
}

/** A page's records in batches: upserts at the object's batch size, deletes at their endpoint's (Braze takes 50 ids). */
export function* batchesOf<R extends DeliveryRecord>(records: readonly R[], limits: DeliveryLimits): Iterable<R[]> {
  const deletesAt = records.findIndex((record) => record.op === 'delete')
  const upserts = deletesAt === -1 ? records : records.slice(0, deletesAt)
  const deletes: readonly R[] = deletesAt === -1 ? [] : records.slice(deletesAt)
  for (const [list, size] of [
    [upserts, limits.batchSize],
    [deletes, limits.deletes?.batchSize ?? limits.batchSize],
  ] as const) {
    for (let start = 0; start < list.length; start += size) yield list.slice(start, start + size)
  }
}

function addPageCounts(counts: SyncRunCounts, page: PageCounts): void {
  counts.added += page.added
  counts.changed += page.changed
  counts.removed += page.removed
  counts.retried += page.retried
  counts.rejected += page.refused
}

/** Turns final results into snapshot rows, rejections and counts. */
function recordResults(
  results: readonly FinalResult<MappedRecord>[],
  isSend: boolean,
  recorder: ResultRecorder,
  counts: SyncRunCounts,
  failures: FailureTally,
): void {
  const accepted: AcceptedRow[] = []
  const rejected: { key: string; reason: string }[] = []
  for (const { record, result, outcomeUnknown } of results) {
    if (result.status === 'accepted') {
      counts.synced++
      accepted.push(
        record.op === 'delete'
          ? { key: record.key, hash: null, op: 'delete' }
          : { key: record.key, hash: record.rowHash, op: 'upsert', created: result.created },
      )
      continue
    }
    if (outcomeUnknown) {
      // The intent stays: the event is never sent again. A person checks the destination.
      counts.unknown++
      rejected.push({ key: record.key, reason: `outcome unknown: ${result.message}; not sent again, so that it cannot arrive twice` })
      continue
    }
    // Not taken: a `send` withdraws its intent, so a later run sends the event.
    if (isSend) accepted.push({ key: record.key, hash: null, op: 'delete' })
    if (result.status === 'rejected') {
      counts.rejected++
      rejected.push({ key: record.key, reason: `${result.message} [${result.code}]` })
    } else {
      counts.failed++
      failures.add(result.code, result.message)
    }
  }
  recorder.accept(accepted)
  recorder.reject(rejected)
}
