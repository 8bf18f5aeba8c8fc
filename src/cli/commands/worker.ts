import type { Command } from 'commander'

import { registeredSyncs } from '../../engine/registered-syncs.js'
import type { DestinationSpec } from '../../model/spec-types.js'
import { loadValidSpecs } from '../../spec/load-valid-specs.js'
import type { WorkerEvent } from '../../temporal/run-worker.js'
import { WorkerResources } from '../../temporal/worker-resources.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { temporalOf, withTemporalOptions, type TemporalOptions } from '../temporal-options.js'
import { UsageError } from '../usage-error.js'
import { EventLog, logFormatOption, type LogEvent, type LogFormat } from '../event-log.js'
import { temporalModules } from '../../temporal/temporal-modules.js'
import { plural } from '../plural.js'

interface WorkerOptions extends TemporalOptions {
  dir: string
  pagesAtOnce: string
  logFormat: LogFormat
}

const HELP_AFTER = `
Runs an Outflow worker for Temporal, as a long-lived process: it hosts sync runs (one workflow
per sync) and delivers their pages. Start any number, on any number of machines, with the same
specs directory and the same credentials in the environment; \`outflow run --temporal\` and the
Temporal Schedules \`outflow schedule --temporal\` creates start the runs.

Each destination connection's pages go to task queues of their own, one per rate limit, whose
rate the Temporal server enforces for all workers together: the vendor's limit holds however
many workers run. Rows never pass through Temporal: workers read and write the warehouse, so a
spread run needs a warehouse every worker reaches (PostgreSQL or Snowflake, not a DuckDB file).

Stop with Ctrl+C or SIGTERM: pages under way finish and are recorded. A worker killed outright
loses nothing: its pages are given to another worker after 15 s without a heartbeat.

Examples:
  outflow worker --temporal-address 127.0.0.1:7233
  TEMPORAL_ADDRESS=ns.acct.tmprl.cloud:7233 TEMPORAL_NAMESPACE=ns.acct TEMPORAL_API_KEY=... outflow worker --tls`

/** Registers `outflow worker`. */
export function registerWorker(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withTemporalOptions(
    program
      .command('worker')
      .description('Run an Outflow worker for Temporal: hosts sync runs and delivers their pages, alongside any number of others.')
      .option('--dir <path>', 'specs directory: its Sources and Destinations, and the syncs registered in its state stores', 'syncs'),
    { withSwitch: false },
  )
    .option('--pages-at-once <n>', 'pages this worker delivers at once on each destination queue', '4')
    .addOption(logFormatOption())
    .addHelpText('after', HELP_AFTER)
    .action(async (options: WorkerOptions) => {
      const pagesAtOnce = Number(options.pagesAtOnce)
      if (!Number.isInteger(pagesAtOnce) || pagesAtOnce < 1 || pagesAtOnce > 256)
        throw new UsageError(`invalid --pages-at-once "${options.pagesAtOnce}": expected a whole number from 1 to 256`)
      const { runWorker, refuseUnsharedWarehouses } = await temporalModules()
      const temporal = await temporalOf(options)
      const specs = await loadValidSpecs(options.dir)
      refuseUnsharedWarehouses(specs.sources)
      const events = new EventLog(options.logFormat, io.stdout)
      const resources = new WorkerResources({
        onPage: (p) =>
          events.log({
            level: 'info',
            event: 'page_delivered',
            message: `delivered page ${p.page} of ${p.sync} (run ${p.runId}${p.attempt > 1 ? `, attempt ${p.attempt}` : ''}): ${plural(p.rows, 'row')}, ${p.synced} synced, ${p.notSynced} not${p.handedBack > 0 ? `, ${plural(p.handedBack, 'row')} handed back after a 429` : ''}, in ${(p.ms / 1000).toFixed(1)} s`,
            sync: p.sync,
            runId: p.runId,
            counts: { rows: p.rows, synced: p.synced, not_synced: p.notSynced },
            fields: { page: p.page, attempt: p.attempt, handed_back: p.handedBack, duration_ms: p.ms },
          }),
        onAlertWarning: (w) =>
          events.log({ level: 'warn', event: 'alert_not_sent', message: w.message, sync: w.sync, fields: { alert: w.alert } }),
      })
      const stop = new AbortController()
      const onSignal = () => stop.abort()
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
      try {
        await runWorker({
          temporal,
          resources,
          signal: stop.signal,
          pagesAtOnce,
          destinations: async () => destinationsOf(specs.destinations, await registeredSyncs(specs.sources, resources.warehouses)),
          onEvent: (event) => events.log(eventOf(event)),
          onSdkLog: (level, message) => events.log({ level, event: 'temporal_sdk', message }),
        })
        setExit(EXIT.ok)
      } finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
        await resources.close()
      }
    })
}

/** The destinations in the specs directory, and those registered syncs were applied with (they win). */
function destinationsOf(written: readonly DestinationSpec[], registered: readonly { destination: DestinationSpec }[]): DestinationSpec[] {
  const byName = new Map(written.map((d) => [d.name, d]))
  for (const { destination } of registered) byName.set(destination.name, destination)
  return [...byName.values()]
}

function eventOf(event: WorkerEvent): LogEvent {
  switch (event.event) {
    case 'worker_started':
      return {
        level: 'info',
        event: event.event,
        message: `worker started: task queue "${event.taskQueue}", namespace "${event.namespace}" at ${event.address}`,
        fields: { task_queue: event.taskQueue, namespace: event.namespace, address: event.address },
      }
    case 'queue_polled':
      return {
        level: 'info',
        event: event.event,
        message: `delivering for destination "${event.destination}" (${event.group} limit): task queue "${event.taskQueue}", at most ${round(event.pagesPerSecond)} pages a second across all workers`,
        fields: { task_queue: event.taskQueue, destination: event.destination, group: event.group, pages_per_second: event.pagesPerSecond },
      }
    case 'discovery_failed':
      return { level: 'warn', event: event.event, message: `could not look for new destinations: ${event.message}; trying again in 30 s` }
    case 'worker_stopped':
      return { level: 'info', event: event.event, message: 'worker stopped' }
  }
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2)
}
