import { listRuns } from '../warehouse/state/runs.js'
import type { RunnableSync } from './runnable-sync.js'
import { isDue, nextRunAfter } from './schedule-timing.js'
import type { WarehousePool } from './warehouse-pool.js'

/** The syncs whose schedule is due at `now`, by the start of their last run in the state store. */
export async function dueSyncs(syncs: readonly RunnableSync[], warehouses: WarehousePool, now: Date): Promise<RunnableSync[]> {
  const due: RunnableSync[] = []
  for (const runnable of syncs) {
    if (isDue(runnable.sync.schedule, await lastStarted(runnable, warehouses), now)) due.push(runnable)
  }
  return due
}

/** The earliest time after `now` at which one of `syncs` falls due; undefined when all are manual. */
export async function nextDueTime(syncs: readonly RunnableSync[], warehouses: WarehousePool, now: Date): Promise<Date | undefined> {
  let earliest: Date | undefined
  for (const runnable of syncs) {
    const next = nextRunAfter(runnable.sync.schedule, (await lastStarted(runnable, warehouses)) ?? now)
    if (next !== undefined && (earliest === undefined || next < earliest)) earliest = next
  }
  return earliest
}

/** When the sync's last run started; undefined when it never ran (or, read-only, no state store exists yet). */
async function lastStarted(runnable: RunnableSync, warehouses: WarehousePool): Promise<Date | undefined> {
  if (!(await warehouses.hasState(runnable.source))) return undefined
  const adapter = await warehouses.get(runnable.source)
  const [last] = await listRuns(adapter, runnable.source.connection.stateSchema, runnable.sync.name, 1)
  return last?.startedAt
}
