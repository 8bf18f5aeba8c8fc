import type { RunnableSync } from '../engine/runnable-sync.js'
import { isDue, nextRunAfter } from '../engine/schedule-timing.js'
import type { Schedule } from '../model/spec-types.js'
import { readLease } from '../warehouse/state/leases.js'
import { countRejected } from '../warehouse/state/rejected-rows.js'
import { listRuns, type RunRecord } from '../warehouse/state/runs.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { runJson, type RunJson } from './history-json.js'
import { isoTimeOrNull } from './json-output.js'

/** Where a sync stands, as `outflow status` shows it. */
export interface SyncStatus {
  sync: string
  destination: string
  object: string
  behavior: string
  schedule: Schedule
  lastRun: RunRecord | undefined
  rejectedRows: number
  /**
   * When the schedule next fires after the last run's start, in the past when the sync is due.
   * Undefined for a manual sync, a scheduled one that never ran (due at once), and a schedule
   * that never fires again.
   */
  nextRunAt: Date | undefined
  due: boolean
  /** The runner holding the sync's lease now, if any. */
  runningOn: string | undefined
}

/** A schedule in `status --json`: as written, with an interval also as a number of seconds. */
export type ScheduleJson =
  { kind: 'manual' } | { kind: 'cron'; cron: string; timezone: string } | { kind: 'interval'; interval: string; intervalSeconds: number }

/** One sync in `status --json`. */
export interface SyncStatusJson {
  sync: string
  destination: string
  object: string
  behavior: string
  schedule: ScheduleJson
  lastRun: RunJson | null
  rejectedRows: number
  nextRunAt: string | null
  due: boolean
  runningOn: string | null
}

/** Reads a sync's last run, rejected rows and lease from its state store, and works out its next run. */
export async function readSyncStatus(runnable: RunnableSync, adapter: WarehouseAdapter, now: Date): Promise<SyncStatus> {
  const schema = runnable.source.connection.stateSchema
  const { sync } = runnable
  const [lastRun] = await listRuns(adapter, schema, sync.name, 1)
  const lease = await readLease(adapter, schema, sync.name)
  const started = lastRun?.startedAt
  return {
    sync: sync.name,
    destination: sync.destination,
    object: sync.object,
    behavior: sync.behavior,
    schedule: sync.schedule,
    lastRun,
    rejectedRows: await countRejected(adapter, schema, sync.name),
    nextRunAt: started === undefined ? undefined : nextRunAfter(sync.schedule, started),
    due: isDue(sync.schedule, started, now),
    runningOn: lease?.holder,
  }
}

/** A status as JSON shows it: times in ISO 8601 or null, no words where a value belongs. */
export function syncStatusJson(status: SyncStatus): SyncStatusJson {
  return {
    sync: status.sync,
    destination: status.destination,
    object: status.object,
    behavior: status.behavior,
    schedule: scheduleJson(status.schedule),
    lastRun: status.lastRun === undefined ? null : runJson(status.lastRun),
    rejectedRows: status.rejectedRows,
    nextRunAt: isoTimeOrNull(status.nextRunAt),
    due: status.due,
    runningOn: status.runningOn ?? null,
  }
}

function scheduleJson(schedule: Schedule): ScheduleJson {
  switch (schedule.kind) {
    case 'manual':
      return { kind: 'manual' }
    case 'cron':
      return { kind: 'cron', cron: schedule.cron, timezone: schedule.timezone }
    case 'interval':
      return { kind: 'interval', interval: schedule.interval, intervalSeconds: schedule.seconds }
  }
}
