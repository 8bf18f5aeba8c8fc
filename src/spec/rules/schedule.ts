import { Cron } from 'croner'

import { listOf } from '../../util/suggest.js'
import { intervalSeconds } from '../normalize.js'
import { CRON_FIELD_COUNTS, MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from '../schedule-limits.js'
import { writtenSync } from './raw-document.js'
import type { RuleFinding, SpecRule } from './rule.js'

const SCHEDULE_KINDS = ['cron', 'interval', 'manual'] as const

/**
 * A schedule is exactly one of cron, interval or manual; a cron expression has 5 or 6 fields,
 * parses, in a real time zone, and ever fires; an interval is from 1s to 366d.
 */
export const schedule: SpecRule = {
  name: 'schedule',
  reads: ['/spec/schedule'],
  *check(context) {
    for (const { document } of context.syncs) {
      const written = writtenSync(document).spec.schedule
      if (written === undefined) continue
      const kinds = SCHEDULE_KINDS.filter((k) => written[k] !== undefined)
      if (kinds.length !== 1) {
        const message =
          kinds.length === 0 ? `a schedule needs one of ${listOf(SCHEDULE_KINDS)}` : `a schedule takes only one of ${listOf(kinds)}`
        yield { document, pointer: '/spec/schedule', message }
        continue
      }
      if (written.timezone !== undefined && written.cron === undefined) {
        yield { document, pointer: '/spec/schedule/timezone', at: 'key', message: '`timezone` applies only to a `cron` schedule' }
        continue
      }
      const finding =
        written.cron !== undefined
          ? checkCron(written.cron, written.timezone ?? 'UTC')
          : written.interval !== undefined
            ? checkInterval(written.interval)
            : undefined
      if (finding !== undefined) yield { document, ...finding }
    }
  },
}

function checkCron(expression: string, timezone: string): Omit<RuleFinding, 'document'> | undefined {
  if (!isTimeZone(timezone)) {
    return {
      pointer: '/spec/schedule/timezone',
      message: `unknown time zone "${timezone}": use an IANA name such as \`Europe/Berlin\` or \`UTC\``,
    }
  }
  const fields = expression.trim().split(/\s+/).length
  if (!CRON_FIELD_COUNTS.includes(fields)) {
    return {
      pointer: '/spec/schedule/cron',
      message: `invalid cron expression "${expression}": it has ${fields} field${fields === 1 ? '' : 's'}, not 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)`,
    }
  }
  let job: Cron
  try {
    job = new Cron(expression, { paused: true, timezone })
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)
    return { pointer: '/spec/schedule/cron', message: `invalid cron expression "${expression}": ${reason}` }
  }
  if (job.nextRun() === null) {
    return { pointer: '/spec/schedule/cron', message: `cron expression "${expression}" never fires` }
  }
  return undefined
}

function checkInterval(interval: string): Omit<RuleFinding, 'document'> | undefined {
  const seconds = intervalSeconds(interval)
  if (seconds >= MIN_INTERVAL_SECONDS && seconds <= MAX_INTERVAL_SECONDS) return undefined
  return {
    pointer: '/spec/schedule/interval',
    message: `interval "${interval}" is out of range: from 1s to 366d (a sync that runs less than once a year is better run by hand: \`manual: true\`)`,
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}
