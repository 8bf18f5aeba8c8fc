import type { Command } from 'commander'

import type { RunnableSync } from '../../engine/runnable-sync.js'
import { isWarehouseInUse } from '../../engine/warehouse-in-use.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { OutflowError } from '../../errors.js'
import { listRejected } from '../../warehouse/state/rejected-rows.js'
import { listRuns } from '../../warehouse/state/runs.js'
import type { WarehouseAdapter } from '../../warehouse/warehouse-adapter.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { rejectedRowJson, runJson } from '../history-json.js'
import { formatRejected, formatRuns, formatStatus, type HistoryTextOptions } from '../history-text.js'
import { jsonDocument } from '../json-output.js'
import { createPalette } from '../palette.js'
import { readSyncStatus, syncStatusJson } from '../sync-status.js'
import { selectSyncs, withSelectionOptions, type SelectionOptions } from '../sync-selection.js'
import { UsageError } from '../usage-error.js'

interface HistoryOptions extends SelectionOptions {
  json?: boolean
  limit?: string
}

const JSON_HELP = 'print JSON (see README, "Machine-readable output")'

/** Registers `outflow status`, `outflow runs <sync>` and `outflow rejected <sync>`: what the state store says. */
export function registerHistory(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const text = (): HistoryTextOptions => ({ palette: createPalette(io.color?.stdout === true), verbose: io.verbose === true })

  withSelectionOptions(program.command('status').description('Every sync: its last run, counts, rejected rows and next scheduled run.'))
    .option('--json', JSON_HELP)
    .addHelpText('after', '\nExamples:\n  outflow status\n  outflow status --from-dir syncs --json')
    .action(async (options: HistoryOptions) =>
      withSyncs(options, [], async (syncs, open) => {
        const now = new Date()
        const rows = []
        for (const runnable of syncs) rows.push(await readSyncStatus(runnable, await open(runnable), now))
        io.stdout(
          options.json === true
            ? jsonDocument('status', { checkedAt: now.toISOString(), syncs: rows.map(syncStatusJson) })
            : formatStatus(rows, text()),
        )
        setExit(EXIT.ok)
      }),
    )

  withSelectionOptions(program.command('runs').description('The latest runs of a sync, newest first.').argument('<sync>', 'sync name'))
    .option('--limit <count>', 'how many runs', '20')
    .option('--json', JSON_HELP)
    .addHelpText('after', '\nExample:\n  outflow runs loops-contacts --limit 5')
    .action(async (name: string, options: HistoryOptions) =>
      withSyncs(options, [name], async ([runnable], open) => {
        if (runnable === undefined) return
        const runs = await listRuns(await open(runnable), runnable.source.connection.stateSchema, name, limitOf(options))
        io.stdout(options.json === true ? jsonDocument('runs', { sync: name, runs: runs.map(runJson) }) : formatRuns(runs, text()))
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
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      '\nRejected rows are tried again on every run until they are accepted or the spec changes.\n\nExample:\n  outflow rejected loops-contacts',
    )
    .action(async (name: string, options: HistoryOptions) =>
      withSyncs(options, [name], async ([runnable], open) => {
        if (runnable === undefined) return
        const rows = await listRejected(await open(runnable), runnable.source.connection.stateSchema, name, limitOf(options))
        io.stdout(
          options.json === true ? jsonDocument('rejected', { sync: name, rows: rows.map(rejectedRowJson) }) : formatRejected(name, rows),
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
