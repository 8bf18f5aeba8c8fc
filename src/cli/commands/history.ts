import type { Command } from 'commander'

import type { RunnableSync } from '../../engine/runnable-sync.js'
import { isDue, nextRunAfter } from '../../engine/schedule-timing.js'
import { isWarehouseInUse } from '../../engine/warehouse-in-use.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { OutflowError } from '../../errors.js'
import type { Schedule } from '../../model/spec-types.js'
import { readLease } from '../../warehouse/state/leases.js'
import { countRejected, listRejected } from '../../warehouse/state/rejected-rows.js'
import { listRuns, type RunRecord } from '../../warehouse/state/runs.js'
import type { WarehouseAdapter } from '../../warehouse/warehouse-adapter.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { selectSyncs, withSelectionOptions, type SelectionOptions } from '../sync-selection.js'
import { UsageError } from '../usage-error.js'

interface HistoryOptions extends SelectionOptions {
  json?: boolean
  limit?: string
}

/** Registers `outflow status`, `outflow runs <sync>` and `outflow rejected <sync>`: what the state store says. */
export function registerHistory(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withSelectionOptions(program.command('status').description('Every sync: its last run, counts, rejected rows and next scheduled run.'))
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  outflow status\n  outflow status --from-dir syncs --json')
    .action(async (options: HistoryOptions) =>
      withSyncs(options, [], async (syncs, open) => {
        const now = new Date()
        const rows = []
        for (const runnable of syncs) rows.push(await statusOf(runnable, await open(runnable), now))
        io.stdout(options.json === true ? JSON.stringify(rows, null, 2) + '\n' : formatStatus(rows))
        setExit(EXIT.ok)
      }),
    )

  withSelectionOptions(program.command('runs').description('The latest runs of a sync, newest first.').argument('<sync>', 'sync name'))
    .option('--limit <count>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  outflow runs loops-contacts --limit 5')
    .action(async (name: string, options: HistoryOptions) =>
      withSyncs(options, [name], async ([runnable], open) => {
        if (runnable === undefined) return
        const runs = await listRuns(await open(runnable), runnable.source.connection.stateSchema, name, limitOf(options))
        io.stdout(options.json === true ? JSON.stringify(runs, null, 2) + '\n' : formatRuns(runs))
        setExit(EXIT.ok)
      }),
    )

  withSelectionOptions(
    program
      .command('rejected')
      .description('The rows of a sync that were refused, with the reason and how often they were tried.')
      .argument('<sync>', 'sync name'),
  )
    .option('--limit <count>', 'how many rows', '100')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nRejected rows are tried again on every run until they are accepted or the spec changes.\n\nExample:\n  outflow rejected loops-contacts',
    )
    .action(async (name: string, options: HistoryOptions) =>
      withSyncs(options, [name], async ([runnable], open) => {
        if (runnable === undefined) return
        const rows = await listRejected(await open(runnable), runnable.source.connection.stateSchema, name, limitOf(options))
        io.stdout(
          options.json === true
            ? JSON.stringify(rows, null, 2) + '\n'
            : rows.length === 0
              ? `no rejected rows for ${name}\n`
              : rows
                  .map(
                    (r) =>
                      `${r.key === '' ? '(null key)' : r.key}  attempts ${r.attempts}  last ${r.lastSeen.toISOString()}\n  ${r.reason}\n`,
                  )
                  .join(''),
        )
        setExit(EXIT.ok)
      }),
    )
}

async function withSyncs(
  options: HistoryOptions,
  names: readonly string[],
  action: (syncs: RunnableSync[], open: (r: RunnableSync) => Promise<WarehouseAdapter>) => Promise<void>,
): Promise<void> {
  const warehouses = new WarehousePool()
  try {
    const selection = await selectSyncs(options, names, warehouses)
    await action(selection.syncs, (r) => warehouses.get(r.source))
  } catch (error) {
    throw isWarehouseInUse(error) ? stateStoreInUse(error) : error
  } finally {
    await warehouses.closeAll()
  }
}

/**
 * The state store lives in the DuckDB file, which DuckDB lets one process open at a time, and a
 * run keeps it open until it ends: say so, rather than pass on the driver's lock error.
 */
function stateStoreInUse(error: OutflowError): OutflowError {
  return new OutflowError(
    'WAREHOUSE_IN_USE',
    `cannot read the state store: ${error.message}, most likely a running sync (\`outflow run\` keeps the file open until it ends); try again when it has finished`,
    { cause: error, retryable: true },
  )
}

function limitOf(options: HistoryOptions): number {
  const limit = Number(options.limit ?? 20)
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`invalid --limit "${options.limit ?? ''}": expected a positive whole number`)
  return limit
}

interface StatusRow {
  sync: string
  destination: string
  schedule: string
  lastRun: RunRecord | undefined
  rejectedRows: number
  nextRun: string
  runningOn: string | undefined
}

async function statusOf(runnable: RunnableSync, adapter: WarehouseAdapter, now: Date): Promise<StatusRow> {
  const schema = runnable.source.connection.stateSchema
  const { sync } = runnable
  const [lastRun] = await listRuns(adapter, schema, sync.name, 1)
  const lease = await readLease(adapter, schema, sync.name)
  return {
    sync: sync.name,
    destination: `${sync.destination} ${sync.object} (${sync.behavior})`,
    schedule: describeSchedule(sync.schedule),
    lastRun,
    rejectedRows: await countRejected(adapter, schema, sync.name),
    nextRun: nextRunText(sync.schedule, lastRun?.startedAt, now),
    runningOn: lease?.holder,
  }
}

function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'manual':
      return 'manual'
    case 'cron':
      return `cron ${schedule.cron} (${schedule.timezone})`
    case 'interval':
      return `every ${schedule.interval}`
  }
}

function nextRunText(schedule: Schedule, lastStarted: Date | undefined, now: Date): string {
  if (schedule.kind === 'manual') return 'when run by hand'
  if (isDue(schedule, lastStarted, now)) return 'due now'
  return nextRunAfter(schedule, lastStarted ?? now)?.toISOString() ?? 'never'
}

function formatStatus(rows: readonly StatusRow[]): string {
  return rows
    .map((row) => {
      const last = row.lastRun
      const lastText =
        last === undefined
          ? 'never run'
          : `${last.status} at ${last.startedAt.toISOString()}: ${describeRunCounts(last)} (${describeEffort(last)})${last.reason === undefined ? '' : `\n  why: ${last.reason}`}`
      const running = row.runningOn === undefined ? '' : `\n  running now on ${row.runningOn}`
      return `${row.sync}  ->  ${row.destination}\n  last run: ${lastText}\n  rejected rows: ${row.rejectedRows}\n  schedule: ${row.schedule}; next run: ${row.nextRun}${running}\n`
    })
    .join('\n')
}

function formatRuns(runs: readonly RunRecord[]): string {
  if (runs.length === 0) return 'no runs yet\n'
  return runs
    .map((r) => {
      const seconds = r.finishedAt === undefined ? 'running' : `${((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1)} s`
      const line = `${r.startedAt.toISOString()}  ${r.status.padEnd(9)} ${describeRunCounts(r)}  ${describeEffort(r)}  ${seconds}${r.fullResync ? '  full resync' : ''}`
      return r.reason === undefined ? `${line}\n` : `${line}\n  why: ${r.reason}\n`
    })
    .join('')
}

/** What a run's delivery took: requests, retries among them, 429 answers. */
function describeEffort(r: RunRecord): string {
  const requests = `${r.requests} request${r.requests === 1 ? '' : 's'}`
  return `${requests}, ${r.retries} ${r.retries === 1 ? 'retry' : 'retries'}, ${r.rateLimited} answered 429`
}

/** A run's rows, as the run line says them: what changed, then what became of it. */
function describeRunCounts(r: RunRecord): string {
  const changes = `${r.added} added, ${r.changed} changed, ${r.removed} removed${r.retried > 0 ? `, ${r.retried} retried` : ''}`
  const outcome = `${r.synced} synced, ${r.rejected} rejected, ${r.failed} failed${r.unknown > 0 ? `, ${r.unknown} of unknown outcome` : ''}`
  return `${changes} -> ${outcome}`
}
