import type { DeliveryRecord, DestinationConnector, RequestGate } from '../destinations/destination.js'
import { objectDescriptorOf } from '../destinations/connector-support.js'
import { prepareRequestOf } from '../destinations/prepare-request.js'
import { isOutflowError, OutflowError } from '../errors.js'
import type { SyncSpec } from '../spec/spec-types.js'
import { computeDiff, type ChangeRow, type ChangeSet } from '../warehouse/diff/compute-diff.js'
import { countRejected, recordRejected } from '../warehouse/state/rejected-rows.js'
import { abandonRuns, finishRun, startRun, type RunStatus } from '../warehouse/state/runs.js'
import { applyPending, listUnreportedIntents, recordAccepted, type AcceptedRow } from '../warehouse/state/snapshot.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { changeSetDeleteRefusal } from './delete-safety.js'
import { DEFAULT_RETRY_POLICY, deliverBatch, syncBatch, type FinalResult, type RetryPolicy } from './deliver-batch.js'
import { holdLease } from './held-lease.js'
import { createRecordMapper, type MappedRow } from './map-record.js'
import { ResultRecorder } from './result-recorder.js'
import { errorSummary, pendingResult, type SyncRunCounts, type SyncRunResult } from './sync-run-result.js'
import { TaskPool } from './task-pool.js'

/** Progress of one sync's delivery, for a progress bar or log lines. */
export interface SyncProgress {
  sync: string
  /** Records handled so far (accepted, rejected or failed). */
  done: number
  /** Records to handle in this run. */
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
  /** Aborting stops taking new batches; batches in flight finish and are recorded. */
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
 * the deletions exceed `maxDeletes`.
 */
export async function runSync(context: SyncRunContext, options: RunSyncOptions = {}): Promise<SyncRunResult> {
  const { adapter, schema, sync } = context
  const started = performance.now()
  const result = pendingResult(sync)
  const lease = await holdLease(adapter, schema, sync.name, context.holder, options.leaseTtlMs ?? 60_000)
  if (lease === undefined) {
    return { ...result, status: 'skipped', skipped: 'another runner holds this sync', durationMs: elapsed(started) }
  }
  const signal = options.signal === undefined ? lease.lost : AbortSignal.any([lease.lost, options.signal])
  try {
    await abandonRuns(adapter, schema, sync.name)
    const changes = await computeDiff(adapter, schema, sync)
    result.fullResync = changes.fullResync
    result.diffMs = changes.diffMs
    Object.assign(result.counts, { added: changes.counts.added, changed: changes.counts.changed, removed: changes.counts.removed })
    result.runId = await startRun(adapter, schema, sync.name, changes.specHash, changes.fullResync)
    const recorder = new ResultRecorder({
      adapter,
      schema,
      sync: sync.name,
      runId: result.runId,
      clearsRejections: (await countRejected(adapter, schema, sync.name)) > 0,
    })
    try {
      await reportInterruptedSends(context, result.runId)
      for await (const rejections of changes.rejections(PAGE_ROWS)) {
        recorder.reject(rejections)
        result.counts.rejected += rejections.length
      }
      const refusal = await changeSetDeleteRefusal(adapter, sync, changes)
      if (refusal !== undefined) throw new OutflowError('DELETE_LIMIT', refusal)
      if (isSendBaseline(sync, changes)) {
        await baseline(changes, recorder, result.counts)
      } else {
        await deliverChanges(context, changes, recorder, result, options, signal)
      }
    } finally {
      // Whatever happened, what was delivered is recorded before the run ends.
      await recorder.drain()
    }
    // A stop that came after the last batch was answered interrupted nothing: the run is complete.
    await applyPending(adapter, schema, sync.name, changes.specHash)
    result.status = result.counts.failed > 0 ? 'partial' : 'succeeded'
  } catch (error) {
    result.status = 'failed'
    result.error = describeError(error, signal)
  } finally {
    result.durationMs = elapsed(started)
    await closeRun(context, result)
    await lease.release()
  }
  return result
}

/** Reports, once, the events a stopped run was sending when it stopped: they are never re-sent. */
async function reportInterruptedSends(context: SyncRunContext, runId: string): Promise<void> {
  if (context.sync.behavior !== 'send') return
  const keys = await listUnreportedIntents(context.adapter, context.schema, context.sync.name)
  const reason =
    'outcome unknown: an earlier run stopped while sending this event; it is not sent again, so that it cannot arrive twice. Check the destination'
  await recordRejected(
    context.adapter,
    context.schema,
    context.sync.name,
    runId,
    keys.map((key) => ({ key, reason })),
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
  signal: AbortSignal,
): Promise<void> {
  const { connector, gate, sync } = context
  const object = objectDescriptorOf(connector.catalog, sync.destination, sync.object)
  const total = result.counts.added + result.counts.changed + result.counts.removed
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
      await recordAccepted(
        context.adapter,
        context.schema,
        sync.name,
        records.map((r) => ({ key: r.key, hash: null, op: 'upsert' })),
        result.runId ?? '',
      )
    }
    const batch = syncBatch(sync, records)
    const delivered = await deliverBatch(connector, batch, gate, {
      policy: options.retry ?? DEFAULT_RETRY_POLICY,
      atMostOnce: sync.behavior === 'send',
      signal,
    })
    result.deliveries += 1 + delivered.extraCalls
    result.retries += delivered.extraCalls
    recordResults(delivered.results, hashes, sync.behavior === 'send', recorder, counts)
    progress(records.length)
    await recorder.room()
    if (delivered.stopped !== undefined) throw delivered.stopped
  }
  try {
    // Whole batches per page: a page cut mid-batch would send a short batch every page.
    const pageRows = limits.batchSize * Math.max(1, Math.round(PAGE_ROWS / limits.batchSize))
    for await (const page of changes.rows(pageRows)) {
      signal.throwIfAborted()
      const hashes = new Map<DeliveryRecord, string | null>()
      const records: DeliveryRecord[] = []
      const refused: { key: string; reason: string }[] = []
      for (const row of page) accept(map(row), row, records, hashes, refused)
      if (refused.length > 0) {
        recorder.reject(refused)
        counts.rejected += refused.length
        progress(refused.length)
      }
      // Upserts before deletes within a page; mirror deletes of one page never race its upserts of the same key.
      records.sort((a, b) => Number(a.op === 'delete') - Number(b.op === 'delete'))
      for (let start = 0; start < records.length; start += limits.batchSize) {
        signal.throwIfAborted()
        const chunk = records.slice(start, start + limits.batchSize)
        // A stop while every slot was busy must not start one more batch.
        await pool.submit(() => (signal.throwIfAborted(), deliverOne(chunk, hashes)))
      }
    }
    await pool.drain()
  } finally {
    // Batches in flight finish and are recorded, however the loop ended.
    await pool.drain().catch(() => undefined)
  }
}

function accept(
  mapped: MappedRow,
  row: ChangeRow,
  records: DeliveryRecord[],
  hashes: Map<DeliveryRecord, string | null>,
  refused: { key: string; reason: string }[],
): void {
  if (!mapped.ok) {
    refused.push({ key: mapped.key, reason: mapped.reason })
    return
  }
  records.push(mapped.record)
  hashes.set(mapped.record, row.hash)
}

/** Turns final results into snapshot rows, rejections and counts. */
function recordResults(
  results: readonly FinalResult[],
  hashes: ReadonlyMap<DeliveryRecord, string | null>,
  isSend: boolean,
  recorder: ResultRecorder,
  counts: SyncRunCounts,
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
    }
  }
  recorder.accept(accepted)
  recorder.reject(rejected)
}

async function closeRun(context: SyncRunContext, result: SyncRunResult): Promise<void> {
  if (result.runId === undefined) return
  const status: RunStatus = result.status === 'skipped' ? 'failed' : result.status
  const { counts } = result
  try {
    await finishRun(context.adapter, context.schema, result.runId, {
      status,
      // Events of unknown outcome are listed with the rejected rows, where a person looks.
      counts: { ...counts, rejected: counts.rejected + counts.unknown },
      diffMs: result.diffMs,
      ...(result.error === undefined ? {} : { error: `${result.error.code}: ${result.error.message}` }),
    })
  } catch {
    // The run's outcome is already in `result`; a warehouse that fails now fails the next run loudly.
  }
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
