import type { DeliveryLimits, DeliveryRecord, DestinationConnector, RequestGate } from '../destinations/destination.js'
import { objectDescriptorOf } from '../destinations/connector-support.js'
import { prepareRequestOf } from '../destinations/prepare-request.js'
import { isOutflowError, OutflowError } from '../errors.js'
import type { SyncSpec } from '../model/spec-types.js'
import { computeDiff, type ChangeSet } from '../warehouse/diff/compute-diff.js'
import type { RunStatus } from '../warehouse/state/runs.js'
import type { AcceptedRow } from '../warehouse/state/snapshot.js'
import { SyncStateStore } from '../warehouse/state/sync-state-store.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { changeSetDeleteRefusal } from './delete-safety.js'
import { deliverBatch, syncBatch, type FinalResult } from './deliver-batch.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js'
import { holdLease } from './held-lease.js'
import { assemblePage, retryCandidates, type PageCounts } from './assemble-page.js'
import { describeTrip, FailureBreaker } from './failure-breaker.js'
import { FailureTally } from './failure-tally.js'
import { createRecordMapper } from './map-record.js'
import { ResultRecorder } from './result-recorder.js'
import { errorSummary, pendingResult, type SyncRunCounts, type SyncRunResult } from './sync-run-result.js'
import { TaskPool } from './task-pool.js'

/** Progress of one sync's delivery, for a progress bar or log lines. */
export interface SyncProgress {
  sync: string
  /** Rows with a result so far (synced, rejected, failed or of unknown outcome). */
  done: number
  /** Rows to handle in this run. */
  total: number
  counts: Readonly<SyncRunCounts>
}

/** Knobs of a run; the defaults suit production. */
export interface RunSyncOptions {
  retry?: RetryPolicy
  /**
   * How long a lease lasts without renewal: a runner that dies frees its syncs after this long.
   * @default 60000
   */
  leaseTtlMs?: number
  /**
   * Requests in a row that may fail for one cause (a 429 that keeps coming, a 5xx, an unexpected
   * answer) before the run stops as `partial` with that cause; 0 never stops.
   * @default 20
   */
  maxConsecutiveFailures?: number
  /** Aborting stops taking new batches; batches in flight finish and are recorded; the run ends `cancelled`. */
  signal?: AbortSignal
  onProgress?: (progress: SyncProgress) => void
}

/** Everything a sync's run needs, opened by the caller and shared across syncs where they share a connection. */
export interface SyncRunContext {
  adapter: WarehouseAdapter
  /** The state schema of the sync's source. */
  schema: string
  sync: SyncSpec
  connector: DestinationConnector
  /** The rate limiter of the destination connection, shared by every sync that uses it. */
  gate: RequestGate
  /** Who runs: recorded on the lease, so a held sync says by whom. */
  holder: string
}

/** What one run keeps while it delivers: its stops, and the causes of rows that failed. */
interface RunControl {
  state: SyncStateStore
  signal: AbortSignal
  breaker: FailureBreaker
  failures: FailureTally
  /** Whether the sync had rejected rows when the run began: only then are retried rows looked up. */
  hadRejections: boolean
}

/** Rows read from the change set per cursor fetch: a few batches of work, never the whole table. */
const PAGE_ROWS = 2000

/**
 * Runs one sync: takes its lease, computes the change set in the warehouse, validates and maps
 * rows, delivers them in batches within the destination's limits, records one result per row,
 * merges what the destination accepted into the snapshot, and gives the lease back.
 *
 * `send` syncs write each event's intent before sending it, so an event is never sent twice,
 * however the run ends; a `send` sync's first run without `backfill` records the rows already in
 * the model as sent, without sending them. `mirror` refuses to delete when its model is empty or
 * the deletions exceed `maxDeletes`. A run that keeps failing for one cause stops early; every run
 * that does not succeed says why (`reason`).
 */
export async function runSync(context: SyncRunContext, options: RunSyncOptions = {}): Promise<SyncRunResult> {
  const { adapter, schema, sync } = context
  const started = performance.now()
  const result = pendingResult(sync)
  const lease = await holdLease(adapter, schema, sync.name, context.holder, options.leaseTtlMs ?? 60_000)
  if (lease === undefined) {
    return { ...result, status: 'skipped', skipped: 'another runner holds this sync', durationMs: elapsed(started) }
  }
  const breaker = new FailureBreaker(options.maxConsecutiveFailures)
  const signal = AbortSignal.any([lease.lost, breaker.signal, ...(options.signal === undefined ? [] : [options.signal])])
  const state = new SyncStateStore(adapter, schema, sync.name)
  const control: RunControl = { state, signal, breaker, failures: new FailureTally(), hadRejections: false }
  try {
    await state.abandonRuns()
    const changes = await computeDiff(adapter, schema, sync)
    result.fullResync = changes.fullResync
    result.diffMs = changes.diffMs
    result.runId = await state.startRun(changes.specHash, changes.fullResync)
    control.hadRejections = await state.hasRejections()
    const recorder = new ResultRecorder({ state, runId: result.runId, clearsRejections: control.hadRejections })
    try {
      await reportInterruptedSends(sync, state, result.runId)
      for await (const rejections of changes.rejections(PAGE_ROWS)) recorder.reject(rejections)
      result.counts.rejected += changes.rejectedRows
      const refusal = await changeSetDeleteRefusal(adapter, sync, changes)
      if (refusal !== undefined) throw new OutflowError('DELETE_LIMIT', refusal)
      if (isSendBaseline(sync, changes)) await baseline(changes, recorder, result.counts)
      else await deliverChanges(context, changes, recorder, result, options, control)
    } finally {
      // Whatever happened, what was delivered is recorded before the run ends.
      await recorder.drain()
    }
    // A stop that came after the last batch was answered interrupted nothing: the run is complete.
    await state.mergePending(changes.specHash)
    const { failed, unknown } = result.counts
    result.status = failed > 0 || unknown > 0 ? 'partial' : 'succeeded'
  } catch (error) {
    result.error = describeError(error, signal)
    result.status = options.signal?.aborted === true && signal.reason === options.signal.reason ? 'cancelled' : 'failed'
  } finally {
    result.durationMs = elapsed(started)
    const reason = runReason(result, control)
    if (reason !== undefined) result.reason = reason
    await closeRun(state, result)
    await lease.release()
  }
  return result
}

/** Reports, once, the events a stopped run was sending when it stopped: they are never re-sent. */
async function reportInterruptedSends(sync: SyncSpec, state: SyncStateStore, runId: string): Promise<void> {
  if (sync.behavior !== 'send') return
  const reason =
    'outcome unknown: an earlier run stopped while sending this event; it is not sent again, so that it cannot arrive twice. Check the destination'
  await state.recordRejected(
    runId,
    (await state.unreportedIntents()).map((key) => ({ key, reason })),
  )
}

/** A `send` sync's first run without `backfill`: it starts from now (no run has recorded a spec yet). */
export function isSendBaseline(sync: SyncSpec, changes: ChangeSet): boolean {
  return sync.behavior === 'send' && changes.snapshot.specHash === undefined && !sync.backfill
}

/** Records every row in the model as sent, without sending: a `send` sync that starts from now. */
async function baseline(changes: ChangeSet, recorder: ResultRecorder, counts: SyncRunCounts): Promise<void> {
  for await (const rows of changes.rows(PAGE_ROWS)) {
    const accepted = rows.filter((row) => row.op === 'added' && row.hash !== null)
    recorder.accept(accepted.map((row) => ({ key: row.key, hash: row.hash, op: 'upsert' })))
    counts.baselined += accepted.length
  }
}

async function deliverChanges(
  context: SyncRunContext,
  changes: ChangeSet,
  recorder: ResultRecorder,
  result: SyncRunResult,
  options: RunSyncOptions,
  control: RunControl,
): Promise<void> {
  const { connector, gate, sync } = context
  const { signal, breaker } = control
  const object = objectDescriptorOf(connector.catalog, sync.destination, sync.object)
  const total = changes.counts.added + changes.counts.changed + changes.counts.removed
  if (total === 0) return
  await connector.prepare(prepareRequestOf(sync, object), gate)
  const limits = connector.limits(sync.object)
  const map = createRecordMapper(sync, object, changes.plan.columns)
  const pool = new TaskPool(limits.concurrency)
  const counts = result.counts
  let done = 0
  const progress = (handled: number) => {
    done += handled
    options.onProgress?.({ sync: sync.name, done, total, counts })
  }
  const deliverOne = async (records: DeliveryRecord[], hashes: Map<DeliveryRecord, string | null>) => {
    if (sync.behavior === 'send') {
      // The intent is durable before the first byte is sent: a crash leaves it, and the event is not sent again.
      await control.state.recordIntents(
        records.map((r) => r.key),
        result.runId ?? '',
      )
    }
    const delivered = await deliverBatch(connector, syncBatch(sync, records), gate, {
      policy: options.retry ?? DEFAULT_RETRY_POLICY,
      atMostOnce: sync.behavior === 'send',
      signal,
      onAnswer: (results) => breaker.observe(results),
    })
    result.deliveries += 1 + delivered.extraCalls
    result.retries += delivered.extraCalls
    recordResults(delivered.results, hashes, sync.behavior === 'send', recorder, counts, control.failures)
    progress(records.length)
    await recorder.room()
    if (delivered.stopped !== undefined) throw delivered.stopped
  }
  try {
    // Whole batches per page: a page cut mid-batch would send a short batch every page.
    const pageRows = limits.batchSize * Math.max(1, Math.round(PAGE_ROWS / limits.batchSize))
    for await (const rows of changes.rows(pageRows)) {
      signal.throwIfAborted()
      const retried = control.hadRejections ? await control.state.rejectedAmong(retryCandidates(rows)) : NONE
      const page = assemblePage(rows, map, retried)
      addPageCounts(counts, page.counts)
      if (page.refused.length > 0) {
        recorder.reject(page.refused)
        progress(page.refused.length)
      }
      for (const chunk of batchesOf(page.records, limits)) {
        signal.throwIfAborted()
        // A stop while every slot was busy must not start one more batch.
        await pool.submit(() => (signal.throwIfAborted(), deliverOne(chunk, page.hashes)))
      }
    }
    await pool.drain()
  } catch (error) {
    // Batches in flight finish and are recorded, however the loop ended.
    await pool.drain().catch(() => undefined)
    if (breaker.trip === undefined || signal.reason !== breaker.trip) throw error
    // The breaker stopped the run: rows not delivered are failed, for the next run to send.
    counts.failed += Math.max(0, total - done)
  }
}

const NONE: ReadonlySet<string> = new Set()

/** A page's records in batches: upserts at the object's batch size, deletes at their endpoint's (Braze takes 50 ids). */
function* batchesOf(records: readonly DeliveryRecord[], limits: DeliveryLimits): Iterable<DeliveryRecord[]> {
  const deletesAt = records.findIndex((record) => record.op === 'delete')
  const upserts = deletesAt === -1 ? records : records.slice(0, deletesAt)
  const deletes = deletesAt === -1 ? [] : records.slice(deletesAt)
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
  results: readonly FinalResult[],
  hashes: ReadonlyMap<DeliveryRecord, string | null>,
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
          : { key: record.key, hash: hashes.get(record) ?? null, op: 'upsert', created: result.created },
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

async function closeRun(state: SyncStateStore, result: SyncRunResult): Promise<void> {
  if (result.runId === undefined) return
  const status: RunStatus = result.status === 'skipped' ? 'failed' : result.status
  try {
    await state.finishRun(result.runId, {
      status,
      counts: result.counts,
      diffMs: result.diffMs,
      reason: result.reason,
    })
  } catch {
    // The run's outcome is already in `result`; a warehouse that fails now fails the next run loudly.
  }
}

/** Why a run did not succeed, in one line: its error, the breaker's cause, failed rows and events of unknown outcome. */
function runReason(result: SyncRunResult, control: RunControl): string | undefined {
  if (result.status === 'succeeded' || result.status === 'skipped') return undefined
  const parts: string[] = []
  if (result.error !== undefined) parts.push(`${result.error.code}: ${result.error.message}`)
  const trip = control.breaker.trip
  if (trip !== undefined && result.error === undefined) parts.push(describeTrip(trip))
  const { failed, unknown } = result.counts
  const main = control.failures.main()
  if (failed > 0 && trip === undefined) {
    const cause = main === undefined ? '' : ` (${main.code}: ${main.message})`
    parts.push(`${plural(failed, 'row')} not delivered${cause}; the next run sends them`)
  }
  if (unknown > 0) {
    parts.push(`${plural(unknown, 'event')} of unknown outcome, never sent again; see \`outflow rejected ${result.sync}\``)
  }
  return parts.length === 0 ? undefined : parts.join('; ')
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`
}

function describeError(error: unknown, signal: AbortSignal): NonNullable<SyncRunResult['error']> {
  if (signal.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'))) {
    // The abort's reason says why: a lost lease, or a stop (a signal, a caller's AbortController).
    const reason: unknown = signal.reason
    if (isOutflowError(reason)) return errorSummary(reason)
    return { code: 'RUN_INTERRUPTED', message: reason instanceof Error ? reason.message : 'the run was stopped' }
  }
  return errorSummary(error)
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started)
}
