import { createHash } from 'node:crypto'

import { ScheduleNotFoundError, type Client, type ScheduleSpec } from '@temporalio/client'

import type { RunnableSync } from '../engine/runnable-sync.js'
import type { Schedule } from '../model/spec-types.js'
import { syncRunInput, syncWorkflowId } from './run-on-temporal.js'
import type { syncRunWorkflow } from './sync-run-workflow.js'
import type { ResolvedTemporal } from './temporal-settings.js'

/** What became of a sync's Temporal Schedule. */
export interface ScheduleChange {
  sync: string
  scheduleId: string
  change: 'created' | 'updated' | 'unchanged' | 'deleted'
}

/** Run knobs a scheduled run starts with. */
export interface ScheduledRunOptions {
  leaseTtlMs?: number
  maxConsecutiveFailures?: number
}

/** The memo key that holds a schedule's fingerprint, to tell an unchanged schedule from a changed one. */
const FINGERPRINT = 'outflowSchedule'

/**
 * Makes the Temporal Schedules of `syncs` match them: a sync with a cron or interval gets a
 * Schedule (id: its workflow id) that starts its run workflow, created or updated as its spec
 * changes; a manual sync has none; a Schedule under `outflow/<source>/` of one of `sources`
 * whose sync is no longer among `syncs` is deleted. Overlapping runs are skipped: one run per
 * sync at a time. Resolves to what changed, by schedule id.
 */
export async function reconcileSchedules(
  client: Client,
  temporal: ResolvedTemporal,
  syncs: readonly RunnableSync[],
  sources: readonly string[],
  options: ScheduledRunOptions = {},
): Promise<ScheduleChange[]> {
  const changes: ScheduleChange[] = []
  const known = new Set<string>()
  for (const runnable of syncs) {
    known.add(syncWorkflowId(runnable))
    const change = await putSyncSchedule(client, temporal, runnable, options)
    // A manual sync that never had a Schedule is not a change worth reporting.
    if (runnable.sync.schedule.kind !== 'manual' || change.change === 'deleted') changes.push(change)
  }
  // Syncs no longer registered: their Schedules are found by listing (which may lag a few seconds).
  for await (const summary of client.schedule.list()) {
    const owner = sources.find((source) => summary.scheduleId.startsWith(`outflow/${source}/`))
    if (owner === undefined || known.has(summary.scheduleId)) continue
    if (await deleteSyncSchedule(client, summary.scheduleId)) {
      changes.push({ sync: summary.scheduleId.slice(`outflow/${owner}/`.length), scheduleId: summary.scheduleId, change: 'deleted' })
    }
  }
  return changes.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId))
}

/** Creates or updates the Schedule of one sync; a manual sync's Schedule is deleted. */
export async function putSyncSchedule(
  client: Client,
  temporal: ResolvedTemporal,
  runnable: RunnableSync,
  options: ScheduledRunOptions = {},
): Promise<ScheduleChange> {
  const scheduleId = syncWorkflowId(runnable)
  const sync = runnable.sync.name
  if (runnable.sync.schedule.kind === 'manual') {
    const deleted = await deleteSyncSchedule(client, scheduleId)
    return { sync, scheduleId, change: deleted ? 'deleted' : 'unchanged' }
  }
  const input = syncRunInput(runnable, { temporal, ...options })
  const spec = scheduleSpecOf(runnable.sync.schedule)
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([spec, input]))
    .digest('hex')
    .slice(0, 32)
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'syncRunWorkflow',
    workflowId: scheduleId,
    taskQueue: temporal.taskQueue,
    args: [input] as Parameters<typeof syncRunWorkflow>,
    memo: { [FINGERPRINT]: fingerprint },
  }
  const handle = client.schedule.getHandle(scheduleId)
  try {
    const current = await handle.describe()
    if (current.action.memo?.[FINGERPRINT] === fingerprint) {
      return { sync, scheduleId, change: 'unchanged' }
    }
    await handle.update<typeof syncRunWorkflow>((previous) => ({
      ...previous,
      spec,
      action,
      policies: { ...previous.policies, overlap: 'SKIP' },
    }))
    return { sync, scheduleId, change: 'updated' }
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error
  }
  await client.schedule.create<typeof syncRunWorkflow>({ scheduleId, spec, action, policies: { overlap: 'SKIP' } })
  return { sync, scheduleId, change: 'created' }
}

/** Deletes a sync's Schedule; false when it had none. */
export async function deleteSyncSchedule(client: Client, scheduleId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(scheduleId).delete()
    return true
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false
    throw error
  }
}

/**
 * A sync's schedule as Temporal's: an interval in milliseconds, or the cron expression in its time
 * zone. Outflow's six-field cron has seconds first; Temporal reads six fields as ending with the
 * year, so it gets the seven-field form (seconds first, any year).
 */
export function scheduleSpecOf(schedule: Exclude<Schedule, { kind: 'manual' }>): ScheduleSpec {
  if (schedule.kind === 'interval') return { intervals: [{ every: schedule.seconds * 1000 }] }
  const fields = schedule.cron.trim().split(/\s+/)
  const cron = fields.length === 6 ? `${fields.join(' ')} *` : fields.join(' ')
  return { cronExpressions: [cron], timezone: schedule.timezone }
}
