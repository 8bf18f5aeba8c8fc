/*
 * What the engine tells the alerts about, described by the slices the alerts read: the engine's
 * own result types (`SyncRunResult`, `SyncVerification`) fit them, and this folder stays below
 * the engine, which calls it.
 */

/** The rows of a run, by what became of them (the engine's `SyncRunCounts`). */
export interface RunOutcomeCounts {
  added: number
  changed: number
  removed: number
  retried: number
  synced: number
  rejected: number
  failed: number
  unknown: number
  baselined: number
}

/** How a run of one sync ended. */
export interface RunOutcome {
  status: 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'skipped'
  runId: string | undefined
  fullResync: boolean
  counts: Readonly<RunOutcomeCounts>
  durationMs: number
  /** The error that stopped the run; its message may quote a model value. */
  error?: { code: string; message: string } | undefined
  /** Why the run did not succeed, as recorded; it may quote a model value. */
  reason?: string | undefined
}

/** A rejected row of a run, as `outflow rejected` lists it: its key is a model value. */
export interface RejectedRowSample {
  key: string
  reason: string
}

/** The rejected rows of a run, read when an alert needs them. */
export interface RunRejections {
  /** Counted by a reason that quotes no value (`null key`, `plan: a value that is not a boolean`). */
  byReason: readonly { reason: string; rows: number }[]
  /** The first few rows; sent only by alerts with `includeValues`. */
  sample: readonly RejectedRowSample[]
}

/** What `outflow verify` found for one sync. */
export interface DriftOutcome {
  outcome: 'checked' | 'notVerifiable' | 'failed'
  /** The sample size asked for; undefined when every key was read. */
  sample: number | undefined
  fullResync: boolean
  counts: Readonly<{ read: number; inSync: number; pending: number; missing: number; different: number; stillPresent: number }>
  /** The first drifted records: keys are model values, and so are values when they were asked for. */
  findings: readonly unknown[]
}
