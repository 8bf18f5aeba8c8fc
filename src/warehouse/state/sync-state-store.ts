import type { Resend } from '../diff/resend.js'
import type { WarehouseAdapter } from '../warehouse-adapter.js'
import { clearRejected, countRejected, readRejectedKeys, recordRejected, type Rejection } from './rejected-rows.js'
import { abandonRuns, finishRun, startRun, type RunCounts, type RunEffort, type RunStatus } from './runs.js'
import { markForResend } from './resend-marks.js'
import { readRunResults, type RecordedResult } from './run-results.js'
import { applyPending, listUnreportedIntents, recordAccepted, type AcceptedRow } from './snapshot.js'

/**
 * The state of one sync in its source warehouse, as a run writes it: its runs, the intents of the
 * events it sends, the rows the destination accepted (written to the pending table, merged into
 * the snapshot at the end of a run or by the next one), and its rejected rows. The runner talks
 * to this port only; the SQL behind each method is in this folder, the same on every engine.
 */
export class SyncStateStore {
  constructor(
    readonly adapter: WarehouseAdapter,
    readonly schema: string,
    readonly sync: string,
  ) {}

  /** Marks runs still `running` as failed: their runner died (only the lease holder calls this). */
  abandonRuns(): Promise<number> {
    return abandonRuns(this.adapter, this.schema, this.sync)
  }

  /** Records the start of a run; resolves to its id. */
  startRun(specHash: string, fullResync: boolean): Promise<string> {
    return startRun(this.adapter, this.schema, this.sync, specHash, fullResync)
  }

  /** Records how a run ended. */
  finishRun(
    runId: string,
    outcome: { status: RunStatus; counts: RunCounts; effort: RunEffort; diffMs: number; reason: string | undefined },
  ): Promise<void> {
    return finishRun(this.adapter, this.schema, runId, outcome)
  }

  /**
   * Writes intents before events leave: an event with an intent is never sent again. An intent is
   * an accepted row without a hash; a withdrawn one is a delete of it.
   */
  recordIntents(keys: readonly string[], runId: string): Promise<void> {
    return this.recordAccepted(
      keys.map((key) => ({ key, hash: null, op: 'upsert' })),
      runId,
    )
  }

  /** Intents no result ever confirmed or withdrew: events a stopped run was sending. */
  unreportedIntents(): Promise<string[]> {
    return listUnreportedIntents(this.adapter, this.schema, this.sync)
  }

  /** Rows the destination took (or removed), to merge into the snapshot. */
  async recordAccepted(rows: readonly AcceptedRow[], runId: string): Promise<void> {
    await recordAccepted(this.adapter, this.schema, this.sync, rows, runId)
  }

  /** Records that the rows `resend` names are owed: every later run finds them changed until they are accepted again. */
  markForResend(resend: Resend): Promise<void> {
    return markForResend(this.adapter, this.schema, this.sync, resend)
  }

  /** Merges accepted rows into the snapshot, under `specHash` (undefined: recovery of a crashed run's rows). */
  async mergePending(specHash: string | undefined): Promise<void> {
    await applyPending(this.adapter, this.schema, this.sync, specHash)
  }

  /** Records refusals; a row refused before counts up its attempts. */
  recordRejected(runId: string, rejections: readonly Rejection[]): Promise<void> {
    return recordRejected(this.adapter, this.schema, this.sync, runId, rejections)
  }

  /** Forgets refusals of rows since accepted. */
  clearRejected(keys: readonly string[]): Promise<void> {
    return clearRejected(this.adapter, this.schema, this.sync, keys)
  }

  /** Whether any row of the sync stands refused. */
  async hasRejections(): Promise<boolean> {
    return (await countRejected(this.adapter, this.schema, this.sync)) > 0
  }

  /** Which of `keys` an earlier run could not deliver. */
  rejectedAmong(keys: readonly string[]): Promise<Set<string>> {
    return readRejectedKeys(this.adapter, this.schema, this.sync, keys)
  }

  /** What run `runId` already recorded for `keys`: a page delivered again skips them. */
  resultsInRun(runId: string, keys: readonly string[]): Promise<Map<string, RecordedResult>> {
    return readRunResults(this.adapter, this.schema, this.sync, runId, keys)
  }
}
