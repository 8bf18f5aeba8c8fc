import { Cron } from 'croner'

import { listOf } from '../../util/suggest.js'
import { writtenSync } from './raw-document.js'
import type { RuleFinding, SpecRule } from './rule.js'

const SCHEDULE_KINDS = ['cron', 'interval', 'manual'] as const

/** A schedule is exactly one of cron, interval or manual; a cron expression parses, in a real time zone, and ever fires. */
export const schedule: SpecRule = {
  name: 'schedule',
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
      if (written.cron !== undefined) {
        const finding = checkCron(written.cron, written.timezone ?? 'UTC')
        if (finding !== undefined) yield { document, ...finding }
      }
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

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}
