import { setTimeout as sleep } from 'node:timers/promises'

import type { Command } from 'commander'

import { isOutflowError } from '../../errors.js'

import { dueSyncs, nextDueTime } from '../../engine/due-syncs.js'
import type { AlertWarning } from '../../alerts/alert-warning.js'
import { runSyncs } from '../../engine/run-syncs.js'
import { waitBeforeNextRound } from '../../engine/schedule-timing.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { runFinishedEvent } from '../format-run.js'
import { EventLog, logFormatOption, type LogFormat } from '../event-log.js'
import { jsonDocument } from '../json-output.js'
import { selectSyncs, withSelectionOptions, type SelectionOptions } from '../sync-selection.js'
import { UsageError } from '../usage-error.js'
import { temporalOf, usesTemporal, withTemporalOptions, type TemporalOptions } from '../temporal-options.js'
import type { ScheduleChange } from '../../temporal/sync-schedules.js'
import { temporalModules } from '../../temporal/temporal-modules.js'

interface ScheduleOptions extends SelectionOptions, TemporalOptions {
  maxWait: string
  logFormat: LogFormat
  json?: boolean
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

With --temporal (or --temporal-address), nothing keeps running: each scheduled sync gets a
Temporal Schedule that starts its run on the Outflow workers (\`outflow worker\`), created,
updated or deleted to match the registered syncs, and the command exits. Run it after each
\`pulumi up\` (or let the Pulumi program do it: see README, "Running on Temporal").

Examples:
  outflow schedule
  outflow schedule --from-dir syncs --max-wait 30
  outflow schedule --temporal-address 127.0.0.1:7233`

/** Registers `outflow schedule`. */
export function registerSchedule(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withTemporalOptions(
    withSelectionOptions(
      program.command('schedule').description('Run syncs on their schedules, as a long-lived process (or as Temporal Schedules).'),
    ),
    { withSwitch: true },
  )
    .option('--json', 'with --temporal: print the changes as JSON')
    .addOption(logFormatOption())
    .option('--max-wait <seconds>', `longest sleep between checks for due syncs, ${MAX_WAIT_BOUNDS.min} to ${MAX_WAIT_BOUNDS.max}`, '60')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: ScheduleOptions) => {
      if (usesTemporal(options)) {
        setExit(await scheduleOnTemporal(options, io))
        return
      }
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
  const events = new EventLog(options.logFormat, io.stdout)
  events.log({ level: 'info', event: 'scheduler_started', message: 'scheduler started' })
  const alerts = {
    onWarning: (warning: AlertWarning) =>
      events.log({
        level: 'warn',
        event: 'alert_not_sent',
        message: warning.message,
        sync: warning.sync,
        fields: { alert: warning.alert },
      }),
  }
  while (!signal.aborted) {
    // A fresh connection per round: an embedded DuckDB file stays free for other commands between rounds.
    const warehouses = new WarehousePool()
    let waitMs = maxWaitMs
    try {
      const { syncs } = await selectSyncs(options, [], warehouses)
      const due = await dueSyncs(syncs, warehouses, new Date())
      if (due.length > 0) {
        const names = due.map((r) => r.sync.name)
        events.log({ level: 'info', event: 'round_started', message: `running ${names.join(', ')}`, fields: { syncs: names.join(',') } })
        await runSyncs(due, { warehouses, signal, alerts, onResult: (result) => events.log(runFinishedEvent(result)) })
      }
      const next = await nextDueTime(syncs, warehouses, new Date())
      waitMs = waitBeforeNextRound(next, new Date(), maxWaitMs)
    } catch (error) {
      // A warehouse that is down or a spec that fails to load is logged, and tried again next round.
      events.log({
        level: 'error',
        event: 'round_failed',
        message: `round failed: ${error instanceof Error ? error.message : String(error)}; trying again in ${Math.round(waitMs / 1000)} s`,
        errorCode: isOutflowError(error) ? error.code : undefined,
      })
    } finally {
      await warehouses.closeAll()
    }
    await sleep(waitMs, undefined, { signal }).catch(() => undefined)
  }
  events.log({ level: 'info', event: 'scheduler_stopped', message: 'scheduler stopped' })
}

/** Makes the Temporal Schedules match the registered syncs, once, and reports what changed. */
async function scheduleOnTemporal(options: ScheduleOptions, io: CliIO): Promise<number> {
  const { reconcileSchedules, refuseUnsharedWarehouses, withTemporalClient } = await temporalModules()
  const temporal = await temporalOf(options)
  const warehouses = new WarehousePool(process.env, { readOnly: true })
  try {
    const { specs, syncs } = await selectSyncs(options, [], warehouses)
    refuseUnsharedWarehouses(specs.sources)
    const changes = await withTemporalClient(temporal, (client) =>
      reconcileSchedules(
        client,
        temporal,
        syncs,
        specs.sources.map((s) => s.name),
      ),
    )
    io.stdout(
      options.json === true
        ? jsonDocument('schedule', { address: temporal.address, schedules: changes })
        : describeChanges(changes, temporal.address),
    )
    return EXIT.ok
  } finally {
    await warehouses.closeAll()
  }
}

function describeChanges(changes: readonly ScheduleChange[], address: string): string {
  if (changes.length === 0) return `no sync has a schedule; no Temporal Schedule at ${address}\n`
  return changes.map((c) => `${c.change} schedule ${c.scheduleId} (sync ${c.sync})\n`).join('')
}
