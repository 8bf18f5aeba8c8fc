import type { AlertNotifier } from '../alerts/alert-notifier.js'
import type { RunRejections } from '../alerts/alert-outcomes.js'
import { listRejected } from '../warehouse/state/rejected-rows.js'
import type { WarehouseReader } from '../warehouse/warehouse-adapter.js'
import type { RunnableSync } from './runnable-sync.js'
import type { SyncRunResult } from './sync-run-result.js'
import { countByReason } from './value-free-reason.js'
import type { WarehousePool } from './warehouse-pool.js'

/** Rejected rows read back for an alert: the run's own are the latest recorded, so they come first. */
const ROWS_READ = 1000

/** Sample rows an alert with `includeValues` may list. */
const SAMPLE_ROWS = 10

/**
 * Starts the alerts of a sync's run that ended, the same in one process and on workers; a
 * `rejected` alert reads the run's rejected rows from the state store (through `warehouses`,
 * which must stay open until the notifier has settled).
 */
export function alertRun(alerts: AlertNotifier, runnable: RunnableSync, result: SyncRunResult, warehouses: WarehousePool): void {
  const { sync, source } = runnable
  const runId = result.runId
  const rows =
    runId === undefined
      ? undefined
      : async () => readRunRejections(await warehouses.get(source), source.connection.stateSchema, sync.name, runId)
  alerts.runEnded(sync, result, rows)
}

/**
 * The rejected rows a run recorded: counted by a reason that quotes no value (over the latest
 * {@link ROWS_READ} rows of the sync), and the first few with their keys.
 */
async function readRunRejections(adapter: WarehouseReader, schema: string, sync: string, runId: string): Promise<RunRejections> {
  const rows = (await listRejected(adapter, schema, sync, ROWS_READ)).filter((row) => row.runId === runId)
  return { byReason: countByReason(rows), sample: rows.slice(0, SAMPLE_ROWS).map(({ key, reason }) => ({ key, reason })) }
}
