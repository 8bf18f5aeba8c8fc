import type { RejectedRow } from '../warehouse/state/rejected-rows.js'
import type { RunCounts, RunRecord, RunStatus } from '../warehouse/state/runs.js'
import { isoTimeOrNull } from './json-output.js'

/** A recorded run in `runs --json` and `status --json` (`lastRun`): times in ISO 8601, durations in ms. */
export interface RunJson {
  runId: string
  sync: string
  status: RunStatus
  startedAt: string
  /** Null while the run is still going (or its runner died before recording the end). */
  finishedAt: string | null
  /** Time spent delivering; the diff's is `diffMs`. */
  durationMs: number
  diffMs: number
  fullResync: boolean
  /** Row counts, as `run --json` gives them per sync. */
  counts: RunCounts
  /** `deliver` calls, retries and split batches included. */
  requests: number
  retries: number
  /** Answers that were the vendor's rate limit (429). */
  rateLimited: number
  /** Why a `partial`, `failed` or `cancelled` run did not succeed; null otherwise. */
  reason: string | null
}

/** A rejected row in `rejected --json`. */
export interface RejectedRowJson {
  /** Null for rows whose key is null. */
  key: string | null
  reason: string
  attempts: number
  firstSeenAt: string
  lastSeenAt: string
  /** The run that last refused it. */
  runId: string | null
}

/** A run record as JSON shows it. */
export function runJson(run: RunRecord): RunJson {
  const { added, changed, removed, retried, rejected, synced, failed, unknown } = run
  return {
    runId: run.runId,
    sync: run.sync,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: isoTimeOrNull(run.finishedAt),
    durationMs: run.durationMs,
    diffMs: run.diffMs,
    fullResync: run.fullResync,
    counts: { added, changed, removed, retried, rejected, synced, failed, unknown },
    requests: run.requests,
    retries: run.retries,
    rateLimited: run.rateLimited,
    reason: run.reason ?? null,
  }
}

/** A rejected row as JSON shows it. */
export function rejectedRowJson(row: RejectedRow): RejectedRowJson {
  return {
    key: row.key === '' ? null : row.key,
    reason: row.reason,
    attempts: row.attempts,
    firstSeenAt: row.firstSeen.toISOString(),
    lastSeenAt: row.lastSeen.toISOString(),
    runId: row.runId ?? null,
  }
}
