import { Cron } from 'croner'

import type { Schedule } from '../model/spec-types.js'

/** The latest time a `Date` can hold (±8.64e15 ms from 1970, by ECMAScript). */
const MAX_DATE_MS = 8.64e15

/** The shortest sleep of the scheduler between rounds, so that a sync due now cannot make it spin. */
export const MIN_WAIT_MS = 1000

/**
 * When a sync should next run after `after`: the next cron fire time in its zone, or `after` plus
 * the interval. Undefined for manual syncs, which run only when asked, and for a time no date can
 * hold: validation bounds intervals, but a sync registered by an older version may not be.
 */
export function nextRunAfter(schedule: Schedule, after: Date): Date | undefined {
  switch (schedule.kind) {
    case 'manual':
      return undefined
    case 'interval': {
      const ms = after.getTime() + schedule.seconds * 1000
      return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms) : undefined
    }
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

/**
 * How long the scheduler sleeps before its next round: until `next` (the earliest time a sync
 * falls due), but at least {@link MIN_WAIT_MS} and at most `maxWaitMs`. Always a finite number
 * in that range, whatever `next` is, so the loop can neither spin nor overflow a timer.
 */
export function waitBeforeNextRound(next: Date | undefined, now: Date, maxWaitMs: number): number {
  const untilNext = next === undefined ? Number.NaN : next.getTime() - now.getTime()
  if (!Number.isFinite(untilNext)) return maxWaitMs
  return Math.min(maxWaitMs, Math.max(MIN_WAIT_MS, untilNext))
}
