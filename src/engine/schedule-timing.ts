import { Cron } from 'croner'

import type { Schedule } from '../model/spec-types.js'

/**
 * When a sync should next run after `after`: the next cron fire time in its zone, or `after` plus
 * the interval. Undefined for manual syncs, which run only when asked.
 */
export function nextRunAfter(schedule: Schedule, after: Date): Date | undefined {
  switch (schedule.kind) {
    case 'manual':
      return undefined
    case 'interval':
      return new Date(after.getTime() + schedule.seconds * 1000)
    case 'cron':
      return new Cron(schedule.cron, { paused: true, timezone: schedule.timezone }).nextRun(after) ?? undefined
  }
}

/**
 * Whether a sync is due at `now`, given when its last run started: a scheduled sync that never
 * ran is due at once; otherwise when its next time after the last start has come. A run missed
 * while no runner was up is made up once, not once per missed slot.
 */
export function isDue(schedule: Schedule, lastStarted: Date | undefined, now: Date): boolean {
  if (schedule.kind === 'manual') return false
  if (lastStarted === undefined) return true
  const next = nextRunAfter(schedule, lastStarted)
  return next !== undefined && next.getTime() <= now.getTime()
}
