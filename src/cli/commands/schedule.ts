import { setTimeout as sleep } from 'node:timers/promises'

import type { Command } from 'commander'

import { dueSyncs, nextDueTime } from '../../engine/due-syncs.js'
import { runSyncs } from '../../engine/run-syncs.js'
import { waitBeforeNextRound } from '../../engine/schedule-timing.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { formatRunLine } from '../format-run.js'
import { selectSyncs, withSelectionOptions, type SelectionOptions } from '../sync-selection.js'
import { UsageError } from '../usage-error.js'

interface ScheduleOptions extends SelectionOptions {
  maxWait: string
}

/*
 * Seconds. Below one the loop would only spin on its own overhead; above a day a change to the
 * specs could wait unseen for days, and Node's timers end at about 24.8 days (a longer delay
 * fires at once, which made the loop spin).
 */
const MAX_WAIT_BOUNDS = { min: 1, max: 86_400 } as const

const HELP_AFTER = `
Runs as a long-lived process: each sync runs when its cron or interval falls due (manual syncs
never). The syncs are read again before each round, so a \`pulumi up\` that registers, changes or
removes a sync takes effect without a restart. Several schedulers may run at once: a sync's lease
lets only one of them run it. Stop with Ctrl+C or SIGTERM: the round in progress finishes its
batches in flight and records them.

Examples:
  outflow schedule
  outflow schedule --from-dir syncs --max-wait 30`

/** Registers `outflow schedule`. */
export function registerSchedule(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withSelectionOptions(program.command('schedule').description('Run syncs on their schedules, as a long-lived process.'))
    .option('--max-wait <seconds>', `longest sleep between checks for due syncs, ${MAX_WAIT_BOUNDS.min} to ${MAX_WAIT_BOUNDS.max}`, '60')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: ScheduleOptions) => {
      const maxWaitMs = parseMaxWait(options.maxWait) * 1000
      const stop = new AbortController()
      const onSignal = () => stop.abort(new Error('stopped by a signal'))
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
      try {
        await schedule(options, maxWaitMs, io, stop.signal)
        setExit(EXIT.ok)
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
      }
    })
}

function parseMaxWait(text: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN
  if (seconds >= MAX_WAIT_BOUNDS.min && seconds <= MAX_WAIT_BOUNDS.max) return seconds
  throw new UsageError(`invalid --max-wait "${text}": expected seconds, from ${MAX_WAIT_BOUNDS.min} to ${MAX_WAIT_BOUNDS.max} (a day)`)
}

async function schedule(options: ScheduleOptions, maxWaitMs: number, io: CliIO, signal: AbortSignal): Promise<void> {
  const log = (text: string) => io.stdout(`${new Date().toISOString()} ${text}\n`)
  log('scheduler started')
  while (!signal.aborted) {
    // A fresh connection per round: an embedded DuckDB file stays free for other commands between rounds.
    const warehouses = new WarehousePool()
    let waitMs = maxWaitMs
    try {
      const { syncs } = await selectSyncs(options, [], warehouses)
      const due = await dueSyncs(syncs, warehouses, new Date())
      if (due.length > 0) {
        log(`running ${due.map((r) => r.sync.name).join(', ')}`)
        await runSyncs(due, { warehouses, signal, onResult: (result) => log(formatRunLine(result).trimEnd()) })
      }
      const next = await nextDueTime(syncs, warehouses, new Date())
      waitMs = waitBeforeNextRound(next, new Date(), maxWaitMs)
    } catch (error) {
      // A warehouse that is down or a spec that fails to load is logged, and tried again next round.
      log(`round failed: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      await warehouses.closeAll()
    }
    await sleep(waitMs, undefined, { signal }).catch(() => undefined)
  }
  log('scheduler stopped')
}
