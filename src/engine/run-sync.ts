import type { DeliveryLimits, DestinationConnector, RequestGate } from '../destinations/destination.js'
import { objectDescriptorOf } from '../destinations/connector-support.js'
import { prepareRequestOf } from '../destinations/prepare-request.js'
import type { SyncSpec } from '../model/spec-types.js'
import type { ChangeSet } from '../warehouse/diff/compute-diff.js'
import type { Resend } from '../warehouse/diff/resend.js'
import { SyncStateStore } from '../warehouse/state/sync-state-store.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { baseline, isSendBaseline, openRun, PAGE_ROWS, settledStatus } from './open-run.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js'
import { holdLease } from './held-lease.js'
import { FailureBreaker } from './failure-breaker.js'
import { FailureTally } from './failure-tally.js'
import { createRecordMapper } from './map-record.js'
import { deliverPageRows, type PageDeliveryContext } from './page-delivery.js'
import { ResultRecorder } from './result-recorder.js'
import { closeRun, describeError, runReason } from './run-ending.js'
import { pendingResult, type SyncRunCounts, type SyncRunResult } from './sync-run-result.js'
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
  /**
   * Rows to send whatever the snapshot holds: every row (a full resync) or those of some keys
   * (a resend of keys never removes). Refused for event syncs. Unset: only the changes.
   */
  resend?: Resend
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
    const { changes, recorder, hadRejections } = await openRun(state, adapter, sync, result, options.resend, { streamed: true })
    control.hadRejections = hadRejections
    try {
      if (isSendBaseline(sync, changes)) await baseline(changes, recorder, result.counts)
      else await deliverChanges(context, changes, recorder, result, options, control)
    } finally {
      // Whatever happened, what was delivered is recorded before the run ends.
      await recorder.drain()
    }
    // A stop that came after the last batch was answered interrupted nothing: the run is complete.
    await state.mergePending(changes.specHash)
    result.status = settledStatus(result.counts)
  } catch (error) {
    result.error = describeError(error, signal)
    result.status = options.signal?.aborted === true && signal.reason === options.signal.reason ? 'cancelled' : 'failed'
  } finally {
    result.durationMs = elapsed(started)
    const reason = runReason(result, { trip: control.breaker.trip, mainFailure: control.failures.main() })
    if (reason !== undefined) result.reason = reason
    await closeRun(state, result)
    await lease.release()
  }
  return result
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
  let done = 0
  const pages: PageDeliveryContext = {
    sync,
    connector,
    gate,
    limits,
    map: createRecordMapper(sync, object, changes.plan.columns),
    state: control.state,
    runId: result.runId ?? '',
    recorder,
    pool: new TaskPool(limits.concurrency),
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    signal,
    breaker,
    failures: control.failures,
    hadRejections: control.hadRejections,
    tally: result,
    onHandled: (handled) => {
      done += handled
      options.onProgress?.({ sync: sync.name, done, total, counts: result.counts })
    },
  }
  try {
    for await (const rows of changes.rows(pageRowsOf(limits))) await deliverPageRows(pages, rows)
    await pages.pool.drain()
  } catch (error) {
    // Batches in flight finish and are recorded, however the loop ended.
    await pages.pool.drain().catch(() => undefined)
    if (breaker.trip === undefined || signal.reason !== breaker.trip) throw error
    // The breaker stopped the run: rows not delivered are failed, for the next run to send.
    result.counts.failed += Math.max(0, total - done)
  }
}

/** Whole batches per page: a page cut mid-batch would send a short batch every page. */
function pageRowsOf(limits: DeliveryLimits): number {
  return limits.batchSize * Math.max(1, Math.round(PAGE_ROWS / limits.batchSize))
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started)
}
