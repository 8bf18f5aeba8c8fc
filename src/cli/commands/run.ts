import type { Command } from 'commander'

import { DEFAULT_MAX_CONSECUTIVE_FAILURES } from '../../engine/failure-breaker.js'
import { planSyncs } from '../../engine/plan-syncs.js'
import { OutflowError } from '../../errors.js'
import { runSyncs } from '../../engine/run-syncs.js'
import { dueSyncs } from '../../engine/due-syncs.js'
import type { RunnableSync } from '../../engine/runnable-sync.js'
import { isWarehouseInUse } from '../../engine/warehouse-in-use.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { formatPlan } from '../format-plan.js'
import { formatRunLine, formatRunTotals } from '../format-run.js'
import { RunProgress } from '../run-progress.js'
import { selectSyncs, withSelectionOptions, type Selection, type SelectionOptions } from '../sync-selection.js'
import { UsageError } from '../usage-error.js'

interface RunOptions extends SelectionOptions {
  leaseTtl: string
  maxConsecutiveFailures: string
  due?: boolean
  dryRun?: boolean
  json?: boolean
  /** `--wait` alone is `true`; `--wait 30` is `'30'`. */
  wait?: boolean | string
}

/** How long `--wait` without a number waits for a warehouse file another process holds. */
const DEFAULT_WAIT_SECONDS = 300

const HELP_AFTER = `
Runs the syncs registered by \`pulumi up\` in the state stores of the Sources in --dir (what was
applied, not the working tree), or with --from-dir the syncs written in a directory.
Credentials come from the environment: \`{ secret: NAME }\` and \`{ env: NAME }\` both read $NAME.
Stop with Ctrl+C: batches in flight finish and are recorded, nothing is lost.

A sync whose embedded DuckDB file another process has open (another \`outflow run\`, say) is
skipped, as one another runner holds is; --wait waits for the file instead, up to the seconds
given (${DEFAULT_WAIT_SECONDS} without a number), and skips only if it is still in use then.

Exit status: 0 when every sync succeeded (or was skipped because another runner holds it or its
DuckDB file), 1 when any failed or is partial (rows left to retry, events of unknown outcome), 130 when
stopped by Ctrl+C or SIGTERM (the syncs it stopped end \`cancelled\`).

A run stops early, as partial, when --max-consecutive-failures requests in a row fail for one
cause (a vendor that keeps answering 429, 5xx or something unexpected).

Examples:
  outflow run
  outflow run loops-contacts --dry-run
  outflow run --due --json
  outflow run --from-dir syncs
  outflow run --due --wait 120`

/** Registers `outflow run [sync...]`. */
export function registerRun(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withSelectionOptions(
    program
      .command('run')
      .description("Send each sync's changes (only the rows added, changed or removed since the last run) to its destination.")
      .argument('[sync...]', 'sync names (all when none is given)'),
  )
    .option('--due', 'run only the syncs whose schedule (cron or interval) is due; for a CI cron job')
    .option(
      '--dry-run',
      'compute and show what would be sent, without sending or recording anything (read-only warehouse credentials suffice)',
    )
    .option('--json', 'print a machine-readable summary')
    .option(
      '--wait [seconds]',
      `wait for a DuckDB file another process has open, instead of skipping its syncs (default ${DEFAULT_WAIT_SECONDS} s)`,
    )
    .option('--lease-ttl <seconds>', 'how long a sync stays locked after its runner dies (renewed while it lives)', '60')
    .option(
      '--max-consecutive-failures <n>',
      'stop a sync as partial after this many requests in a row fail for the same cause (0: never)',
      String(DEFAULT_MAX_CONSECUTIVE_FAILURES),
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (names: string[], options: RunOptions) => {
      const stop = new AbortController()
      // A dry run is a plan: read-only, so that it works with read-only credentials and changes nothing.
      const readOnly = options.dryRun === true
      const warehouses = new WarehousePool(process.env, { waitMs: waitSecondsOf(options.wait) * 1000, signal: stop.signal, readOnly })
      try {
        setExit(await run(names, options, { warehouses, stop }, io))
      } finally {
        await warehouses.closeAll()
      }
    })
}

/** What a run shares with the command around it: the warehouses, and the controller that stops it. */
interface RunContext {
  warehouses: WarehousePool
  stop: AbortController
}

async function run(names: readonly string[], options: RunOptions, { warehouses, stop }: RunContext, io: CliIO): Promise<number> {
  const leaseTtlMs = Number(options.leaseTtl) * 1000
  if (!Number.isFinite(leaseTtlMs) || leaseTtlMs < 1000)
    throw new UsageError(`invalid --lease-ttl "${options.leaseTtl}": expected at least 1 second`)
  const maxConsecutiveFailures = Number(options.maxConsecutiveFailures)
  if (!Number.isInteger(maxConsecutiveFailures) || maxConsecutiveFailures < 0 || maxConsecutiveFailures > 1_000_000)
    throw new UsageError(
      `invalid --max-consecutive-failures "${options.maxConsecutiveFailures}": expected a whole number from 0 to 1000000`,
    )
  const selected = await selectOrSkip(names, options, warehouses)
  if ('skipped' in selected) {
    // The registered syncs (or their last runs, for --due) are in the file another process holds.
    io.stdout(
      options.json === true
        ? JSON.stringify({ results: [], skipped: selected.skipped }) + '\n'
        : `skipped every sync: ${selected.skipped}\n`,
    )
    return EXIT.ok
  }
  const { selection, syncs } = selected
  if (options.dryRun === true) {
    const outcomes = await planSyncs(syncs, { warehouses })
    const report = { outcomes: outcomes.map((o) => ({ ...o, registration: 'unchanged' as const })), removed: [] }
    // A dry run is a preview in the developer's terminal: it shows the sample records it computed.
    io.stdout(formatPlan(report, options.json === true ? 'json' : 'text', { values: true }))
    return outcomes.every((o) => 'plan' in o) ? EXIT.ok : EXIT.failed
  }
  if (syncs.length === 0) {
    io.stdout(options.json === true ? JSON.stringify({ results: [] }) + '\n' : 'no sync is due\n')
    return EXIT.ok
  }
  const progress = new RunProgress({ write: io.stderr, isTTY: io.isTTY === true })
  const onSignal = () => stop.abort(new OutflowError('RUN_INTERRUPTED', 'stopped by a signal; batches in flight were recorded'))
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
  try {
    if (options.json !== true) io.stdout(`running ${syncs.length} ${selection.origin} syncs\n`)
    const results = await runSyncs(syncs, {
      warehouses,
      leaseTtlMs,
      maxConsecutiveFailures,
      signal: stop.signal,
      onProgress: (p) => progress.update(p),
      onResult: (result) => progress.finish(result.sync, () => options.json === true || io.stdout(formatRunLine(result))),
    })
    progress.clear()
    io.stdout(options.json === true ? JSON.stringify({ results }, null, 2) + '\n' : formatRunTotals(results))
    if (results.some((r) => r.status === 'cancelled')) return EXIT.cancelled
    return results.every((r) => r.status === 'succeeded' || r.status === 'skipped') ? EXIT.ok : EXIT.failed
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
  }
}

/** The syncs to run, or why none can be chosen: the warehouse that says which is held by another process. */
async function selectOrSkip(
  names: readonly string[],
  options: RunOptions,
  warehouses: WarehousePool,
): Promise<{ selection: Selection; syncs: RunnableSync[] } | { skipped: string }> {
  try {
    const selection = await selectSyncs(options, names, warehouses)
    const syncs = options.due === true ? await dueSyncs(selection.syncs, warehouses, new Date()) : selection.syncs
    return { selection, syncs }
  } catch (error) {
    if (isWarehouseInUse(error)) return { skipped: error.message }
    throw error
  }
}

function waitSecondsOf(wait: boolean | string | undefined): number {
  if (wait === undefined || wait === false) return 0
  if (wait === true) return DEFAULT_WAIT_SECONDS
  const seconds = Number(wait)
  if (wait.trim() === '' || !Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`invalid --wait "${wait}": expected seconds (0 or more)`)
  return seconds
}
