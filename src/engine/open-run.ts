import { OutflowError } from '../errors.js'
import type { SyncSpec } from '../model/spec-types.js'
import { traceDiff } from '../telemetry/trace-diff.js'
import { computeDiff, type ChangeSet, type ComputeDiffOptions } from '../warehouse/diff/compute-diff.js'
import type { Resend } from '../warehouse/diff/resend.js'
import type { SyncStateStore } from '../warehouse/state/sync-state-store.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { changeSetDeleteRefusal } from './delete-safety.js'
import { resendRefusal } from './resend-refusal.js'
import { ResultRecorder } from './result-recorder.js'
import type { SyncRunCounts, SyncRunResult, SyncRunStatus } from './sync-run-result.js'

/** Rows read from the change set per cursor fetch: a few batches of work, never the whole table. */
export const PAGE_ROWS = 2000

/** A run whose change set is computed and whose refusals are recorded: what is left is delivery. */
export interface OpenedRun {
  changes: ChangeSet
  /** Writes the run's results; the caller drains it before the run ends. */
  recorder: ResultRecorder
  /** Whether the sync had rejected rows when the run began: only then are retried rows looked up. */
  hadRejections: boolean
}

/**
 * The start of a run, the same in one process and spread over workers (the caller holds the
 * lease): marks runs left `running` by a dead runner as failed, computes the change set in the
 * warehouse, records the run, reports events an earlier run stopped while sending, records the
 * diff's own refusals (duplicate and null keys), and refuses deletions beyond the safety limits.
 * Sets `result`'s run id, diff time and full-resync flag as it learns them.
 *
 * `diff` says how the change set is handed over (a local run reads a first sync's rows as it
 * delivers them; workers page a table).
 *
 * With `resend` (never for an event sync), the rows it names are sent whatever the snapshot holds.
 * Once nothing stops the run, the snapshot records that they are owed: a run that stops halfway
 * leaves the rest to the next run, which sends them as changed rows.
 */
export async function openRun(
  state: SyncStateStore,
  adapter: WarehouseAdapter,
  sync: SyncSpec,
  result: SyncRunResult,
  resend?: Resend,
  diff: ComputeDiffOptions = {},
): Promise<OpenedRun> {
  const refusal = resend === undefined ? undefined : resendRefusal(sync, resend)
  if (refusal !== undefined) throw new OutflowError('OPTION_INVALID', refusal)
  await state.abandonRuns()
  const changes = await traceDiff(sync, () => computeDiff(adapter, state.schema, sync, resend, diff))
  result.fullResync = changes.fullResync
  result.diffMs = changes.diffMs
  if (resend?.kind === 'keys') result.missingKeys = changes.missingKeys
  const runId = await state.startRun(changes.specHash, changes.fullResync)
  result.runId = runId
  const hadRejections = await state.hasRejections()
  const recorder = new ResultRecorder({ state, runId, clearsRejections: hadRejections })
  try {
    await reportInterruptedSends(sync, state, runId)
    for await (const rejections of changes.rejections(PAGE_ROWS)) recorder.reject(rejections)
    result.counts.rejected += changes.rejectedRows
    const deleteRefusal = await changeSetDeleteRefusal(adapter, sync, changes)
    if (deleteRefusal !== undefined) throw new OutflowError('DELETE_LIMIT', deleteRefusal)
    if (resend !== undefined) await state.markForResend(resend)
  } catch (error) {
    await recorder.drain().catch(() => undefined)
    throw error
  }
  return { changes, recorder, hadRejections }
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
export async function baseline(changes: ChangeSet, recorder: ResultRecorder, counts: SyncRunCounts): Promise<void> {
  for await (const rows of changes.rows(PAGE_ROWS)) {
    const accepted = rows.filter((row) => row.op === 'added' && row.hash !== null)
    recorder.accept(accepted.map((row) => ({ key: row.key, hash: row.hash, op: 'upsert' })))
    counts.baselined += accepted.length
  }
}

/** How a run that delivered everything it could ends: partial when rows failed or events are of unknown outcome. */
export function settledStatus(counts: SyncRunCounts): SyncRunStatus {
  return counts.failed > 0 || counts.unknown > 0 ? 'partial' : 'succeeded'
}
