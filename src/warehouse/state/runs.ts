import { randomUUID } from 'node:crypto'

import type { WarehouseAdapter } from '../warehouse-adapter.js'
import { field, numberField, textField } from '../row-field.js'
import { stateTables } from './state-tables.js'

/** How a run ended. */
export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** Row counts of a run. */
export interface RunCounts {
  added: number
  changed: number
  removed: number
  /** Rows an earlier run could not deliver, tried again. */
  retried: number
  rejected: number
  synced: number
  failed: number
  /** Events whose send got no usable answer: never sent again. */
  unknown: number
}

/** What delivering took: `deliver` calls (retries and split batches included), retries, 429 answers, time. */
export interface RunEffort {
  requests: number
  retries: number
  rateLimited: number
  durationMs: number
}

/** A run as recorded in the state store. */
export interface RunRecord extends RunCounts, RunEffort {
  runId: string
  sync: string
  status: RunStatus
  startedAt: Date
  finishedAt: Date | undefined
  specHash: string | undefined
  fullResync: boolean
  diffMs: number
  /** Why a `partial`, `failed` or `cancelled` run did not succeed. */
  reason: string | undefined
}

/** Records the start of a run and returns its id. */
export async function startRun(
  adapter: WarehouseAdapter,
  schema: string,
  sync: string,
  specHash: string,
  fullResync: boolean,
): Promise<string> {
  const runId = randomUUID()
  const { dialect } = adapter
  await adapter.run({
    sql: `insert into ${stateTables(dialect, schema).runs} (run_id, sync, status, started_at, spec_hash, full_resync) values (?, ?, 'running', ${dialect.now()}, ?, ?)`,
    params: [runId, sync, specHash, fullResync],
  })
  return runId
}

/** Records how a run ended: its status, counts, diff time and reason (already free of secrets). */
export async function finishRun(
  adapter: WarehouseAdapter,
  schema: string,
  runId: string,
  outcome: { status: RunStatus; counts: RunCounts; effort: RunEffort; diffMs: number; reason: string | undefined },
): Promise<void> {
  const { dialect } = adapter
  const { counts, effort } = outcome
  await adapter.run({
    sql: `update ${stateTables(dialect, schema).runs} set status = ?, finished_at = ${dialect.now()}, added = ?, changed = ?, removed = ?,
      retried = ?, rejected = ?, synced = ?, failed = ?, unknown = ?, diff_ms = ?, error = ?, requests = ?, retries = ?,
      rate_limited = ?, duration_ms = ? where run_id = ?`,
    params: [
      outcome.status,
      counts.added,
      counts.changed,
      counts.removed,
      counts.retried,
      counts.rejected,
      counts.synced,
      counts.failed,
      counts.unknown,
      outcome.diffMs,
      outcome.reason ?? null,
      effort.requests,
      effort.retries,
      effort.rateLimited,
      effort.durationMs,
      runId,
    ],
  })
}

/**
 * Marks the runs of a sync still `running` as failed: called by the lease holder, which knows no
 * other runner is alive on the sync, so those runs' runner died (killed, or its machine lost).
 * Returns how many there were.
 */
export async function abandonRuns(adapter: WarehouseAdapter, schema: string, sync: string): Promise<number> {
  const { dialect } = adapter
  const result = await adapter.run({
    sql: `update ${stateTables(dialect, schema).runs} set status = 'failed', finished_at = ${dialect.now()},
      error = 'the runner stopped before the end of the run (killed, or its machine lost); what it delivered was recovered by the next run'
      where sync = ? and status = 'running'`,
    params: [sync],
  })
  return result.rowsAffected
}

/** The latest runs of a sync, newest first. */
export async function listRuns(adapter: WarehouseAdapter, schema: string, sync: string, limit = 20): Promise<RunRecord[]> {
  const { rows } = await adapter.run({
    sql: `select * from ${stateTables(adapter.dialect, schema).runs} where sync = ? order by started_at desc limit ${Math.trunc(limit)}`,
    params: [sync],
  })
  return rows.map((row) => ({
    runId: textField(row, 'run_id') ?? '',
    sync: textField(row, 'sync') ?? '',
    status: (textField(row, 'status') ?? 'failed') as RunStatus,
    startedAt: new Date(textField(row, 'started_at') ?? 0),
    finishedAt: field(row, 'finished_at') === null ? undefined : new Date(textField(row, 'finished_at') ?? 0),
    specHash: textField(row, 'spec_hash'),
    fullResync: field(row, 'full_resync') === true,
    added: numberField(row, 'added'),
    changed: numberField(row, 'changed'),
    removed: numberField(row, 'removed'),
    retried: numberField(row, 'retried'),
    rejected: numberField(row, 'rejected'),
    synced: numberField(row, 'synced'),
    failed: numberField(row, 'failed'),
    unknown: numberField(row, 'unknown'),
    diffMs: numberField(row, 'diff_ms'),
    reason: textField(row, 'error'),
    requests: numberField(row, 'requests'),
    retries: numberField(row, 'retries'),
    rateLimited: numberField(row, 'rate_limited'),
    durationMs: numberField(row, 'duration_ms'),
  }))
}
