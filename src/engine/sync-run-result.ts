import { isOutflowError, type ErrorCode } from '../errors.js'
import type { SyncSpec } from '../model/spec-types.js'

/**
 * How a run of one sync ended. `partial`: some rows were not delivered (failed, to retry) or are
 * of unknown outcome; `cancelled`: stopped by Ctrl+C or a signal; `skipped`: another runner held
 * the sync.
 */
export type SyncRunStatus = 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'skipped'

/** Rows of one run, by what became of them. */
export interface SyncRunCounts {
  /**
   * Rows sent because they are new to the sync, changed since last accepted, or gone from the
   * model (mirror). A row refused before sending counts only as rejected; a row refused or failed
   * before and tried again counts as retried.
   */
  added: number
  changed: number
  removed: number
  /** Rows an earlier run could not deliver (refused by the destination or before sending), tried again. */
  retried: number
  /** Records the destination accepted (deletes included). */
  synced: number
  /** Rows refused before sending (null or duplicate keys, bad values) or by the destination; a duplicated key counts each of its rows. */
  rejected: number
  /** Records not delivered for a passing reason; tried again on the next run. */
  failed: number
  /** Events whose send got no answer: never sent again, reported in `outflow rejected`. */
  unknown: number
  /** A `send` sync's first run without backfill: rows recorded as already sent, without sending. */
  baselined: number
}

/** What `outflow run` reports per sync. */
export interface SyncRunResult {
  sync: string
  destination: string
  object: string
  behavior: string
  status: SyncRunStatus
  runId: string | undefined
  /** Every row was sent again: the spec changed what is sent since the snapshot was written, or a full resync was asked for. */
  fullResync: boolean
  /** With `keys`: the keys given that no row of the model has; nothing was sent for them. */
  missingKeys?: string[]
  counts: SyncRunCounts
  /** HTTP-level `deliver` calls, retries and split batches included. */
  deliveries: number
  retries: number
  /** `deliver` calls the vendor answered with its rate limit (429), retried or not. */
  rateLimited: number
  diffMs: number
  durationMs: number
  error?: { code: ErrorCode | 'UNKNOWN'; message: string }
  /**
   * Why the run did not succeed, in words, for every `partial`, `failed` and `cancelled` run: the
   * error, the cause of failed rows, events of unknown outcome. Stored with the run.
   */
  reason?: string
  /** Why the sync was skipped. */
  skipped?: string
}

/** Counts before anything happened. */
export function emptyCounts(): SyncRunCounts {
  return { added: 0, changed: 0, removed: 0, retried: 0, synced: 0, rejected: 0, failed: 0, unknown: 0, baselined: 0 }
}

/** The result of a sync before anything happened: failed, until the run says otherwise. */
export function pendingResult(sync: Pick<SyncSpec, 'name' | 'destination' | 'object' | 'behavior'>): SyncRunResult {
  return {
    sync: sync.name,
    destination: sync.destination,
    object: sync.object,
    behavior: sync.behavior,
    status: 'failed',
    runId: undefined,
    fullResync: false,
    counts: emptyCounts(),
    deliveries: 0,
    retries: 0,
    rateLimited: 0,
    diffMs: 0,
    durationMs: 0,
  }
}

/** An error as a result reports it: Outflow's code and message, or `UNKNOWN` with the message. */
export function errorSummary(error: unknown): NonNullable<SyncRunResult['error']> {
  if (isOutflowError(error)) return { code: error.code, message: error.message }
  return { code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) }
}
