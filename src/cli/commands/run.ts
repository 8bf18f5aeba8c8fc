import type { Command } from 'commander'

import { selectToRun } from '../../api/run-syncs.js'
import { DEFAULT_MAX_CONSECUTIVE_FAILURES } from '../../engine/failure-breaker.js'
import { planSyncs } from '../../engine/plan-syncs.js'
import { OutflowError } from '../../errors.js'
import type { AlertWarning } from '../../alerts/alert-warning.js'
import { runSyncs } from '../../engine/run-syncs.js'
import type { SyncProgress } from '../../engine/run-sync.js'
import type { SyncRunResult } from '../../engine/sync-run-result.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { planReportOf } from '../../api/plan-syncs.js'
import { EventLog, logFormatOption, type LogFormat } from '../event-log.js'
import { formatPlan } from '../format-plan.js'
import { formatRunLine, formatRunTotals, runFinishedEvent, runTotalsEvent } from '../format-run.js'
import { jsonDocument } from '../json-output.js'
import { createPalette } from '../palette.js'
import { plural } from '../plural.js'
import { refuseResendOfEvents } from '../../api/resend-options.js'
import { collectKeys, formatMissingKeys, RESEND_OPTION_HELP, resendOfCli, type ResendCliOptions } from '../resend-options.js'
import { RunProgress } from '../run-progress.js'
import { withSelectionOptions, type SelectionOptions } from '../sync-selection.js'
import { UsageError } from '../usage-error.js'
import { temporalOf, usesTemporal, withTemporalOptions, type TemporalOptions } from '../temporal-options.js'
import { temporalModules } from '../../temporal/temporal-modules.js'

interface RunOptions extends SelectionOptions, TemporalOptions, ResendCliOptions {
  leaseTtl: string
  maxConsecutiveFailures: string
  due?: boolean
  dbtModels?: string
  dryRun?: boolean
  json?: boolean
  /** Unset: progress for a person (a bar on a terminal); set: stderr is a log in this format. */
  logFormat?: LogFormat
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

--dbt-models runs the syncs that read the dbt models a selector names, in the current manifest
of their Source's dbt project: model names, package.name, unique ids, fqn paths (marts),
tag:<tag> and path:<dir>, with dbt's + for upstream or downstream models, separated by commas
or spaces (both add models; a comma does not intersect as in dbt). For orchestration right
after a dbt job: \`dbt build --select marts+ && outflow run --dbt-models marts+\`.

Progress goes to stderr: a bar on a terminal, a line per sync every 5 s elsewhere. With
--log-format text|json, stderr is a log instead, one timestamped line or JSON object per event
(syncs_started, sync_progress, run_finished per sync, syncs_finished), and no bar is drawn;
stdout still holds the results (--json: one JSON document).

--full-resync sends every row of the model again, whatever was sent before (after a vendor lost
data, or a mapping was wrong): upserts for every row, removals only those a run makes anyway
(mirror), and the snapshot then holds what this run sent. A run that stops halfway leaves the
rest to the next run. --keys sends only the rows of the keys given (values of the sync's key
column), changed or not, to try a mapping on real data: one sync named, nothing removed, other
rows untouched, and a key no model row has is named. Neither applies to event syncs (behavior
send): an event is sent once and never again. Both work with --dry-run and --temporal.

With --temporal (or --temporal-address), the runs go to Outflow workers (\`outflow worker\`)
through Temporal: same results, progress and exit status; Ctrl+C cancels the runs it started.

Examples:
  outflow run
  outflow run --temporal-address 127.0.0.1:7233
  outflow run loops-contacts --dry-run
  outflow run loops-contacts --full-resync
  outflow run loops-contacts --keys ada@example.com,grace@example.com --dry-run
  outflow run --due --json
  outflow run --due --json --log-format json 2>> outflow.log
  outflow run --from-dir syncs
  outflow run --due --wait 120
  outflow run --dbt-models users,orders`

/** Registers `outflow run [sync...]`. */
export function registerRun(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withTemporalOptions(
    withSelectionOptions(
      program
        .command('run')
        .description("Send each sync's changes (only the rows added, changed or removed since the last run) to its destination.")
        .argument('[sync...]', 'sync names (all when none is given)'),
    ),
    { withSwitch: true },
  )
    .option('--due', 'run only the syncs whose schedule (cron or interval) is due; for a CI cron job')
    .option(
      '--dbt-models <selector>',
      'run only the syncs reading these dbt models (names, or a dbt selector such as marts+); after a dbt job',
    )
    .option('--full-resync', RESEND_OPTION_HELP.fullResync)
    .option('--keys <keys>', RESEND_OPTION_HELP.keys, collectKeys)
    .option('--keys-file <path>', RESEND_OPTION_HELP.keysFile)
    .option(
      '--dry-run',
      'compute and show what would be sent, without sending or recording anything (read-only warehouse credentials suffice)',
    )
    .option('--json', 'print the results as JSON (see README, "Machine-readable output")')
    .addOption(logFormatOption({ withDefault: false }))
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
  const resend = await resendOfCli(names, options)
  const selected = await selectToRun(
    { dir: options.dir, fromDir: options.fromDir, syncs: names, due: options.due === true, dbtModels: options.dbtModels },
    warehouses,
  )
  if ('skipped' in selected) {
    // The registered syncs (or their last runs, for --due) are in the file another process holds.
    io.stdout(
      options.json === true
        ? jsonDocument('run', { dryRun: options.dryRun === true, results: [], skipped: selected.skipped })
        : `skipped every sync: ${selected.skipped}\n`,
    )
    return EXIT.ok
  }
  const { selection, syncs } = selected
  refuseResendOfEvents(syncs, resend)
  const resendOption = resend === undefined ? {} : { resend }
  if (options.dryRun === true) {
    const outcomes = await planSyncs(syncs, { warehouses, ...resendOption })
    const report = { outcomes: outcomes.map((o) => ({ ...o, registration: 'unchanged' as const })), removed: [] }
    // A dry run is a preview in the developer's terminal: it shows the sample records it computed.
    io.stdout(
      options.json === true
        ? jsonDocument('run', { dryRun: true, ...planReportOf(report, true) })
        : formatPlan(report, 'text', { values: true }),
    )
    if (options.json !== true) io.stdout(formatMissingKeys(outcomes.flatMap((o) => ('plan' in o ? [o.plan] : []))))
    return outcomes.every((o) => 'plan' in o) ? EXIT.ok : EXIT.failed
  }
  if (syncs.length === 0) {
    const none =
      options.dbtModels === undefined
        ? 'no sync is due'
        : `no ${options.due === true ? 'due ' : ''}sync reads a dbt model of "${options.dbtModels}"`
    io.stdout(options.json === true ? jsonDocument('run', { dryRun: false, results: [] }) : `${none}\n`)
    return EXIT.ok
  }
  const log = options.logFormat === undefined ? undefined : new EventLog(options.logFormat, io.stderr)
  const progress = new RunProgress({ write: io.stderr, isTTY: io.isTTY === true, columns: io.stderrColumns, log })
  const palette = createPalette(options.json !== true && io.color?.stdout === true)
  const onSignal = () => stop.abort(new OutflowError('RUN_INTERRUPTED', 'stopped by a signal; batches in flight were recorded'))
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
  try {
    const temporal = usesTemporal(options) ? await temporalOf(options) : undefined
    const onTemporal = temporal === undefined ? undefined : await temporalModules()
    onTemporal?.refuseUnsharedWarehouses([...new Set(syncs.map((r) => r.source))])
    const starting = `running ${plural(syncs.length, `${selection.origin} sync`)}${temporal === undefined ? '' : ` on the workers of task queue "${temporal.taskQueue}" at ${temporal.address}`}`
    if (options.json !== true) io.stdout(`${starting}\n`)
    log?.log({ level: 'info', event: 'syncs_started', message: starting, fields: { syncs: syncs.map((r) => r.sync.name).join(',') } })
    const common = {
      ...resendOption,
      leaseTtlMs,
      maxConsecutiveFailures,
      signal: stop.signal,
      onProgress: (p: SyncProgress) => progress.update(p),
      onResult: (result: SyncRunResult) => {
        log?.log(runFinishedEvent(result))
        progress.finish(
          result.sync,
          () => options.json === true || io.stdout(formatRunLine(result, { palette, verbose: io.verbose === true })),
        )
      },
    }
    let results: SyncRunResult[]
    // An alert that could not be sent is a warning (a log event with --log-format); it never changes the run's results or exit status.
    const alerts = {
      onWarning: (warning: AlertWarning) =>
        log === undefined
          ? progress.interject(() => io.stderr(`warning: ${warning.message}\n`))
          : log.log({
              level: 'warn',
              event: 'alert_not_sent',
              message: warning.message,
              sync: warning.sync,
              fields: { alert: warning.alert },
            }),
    }
    if (temporal === undefined || onTemporal === undefined) results = await runSyncs(syncs, { warehouses, ...common, alerts })
    else results = await onTemporal.runSyncsOnTemporal(syncs, { temporal, ...common })
    progress.clear()
    if (options.json !== true) io.stdout(formatMissingKeys(results))
    log?.log(runTotalsEvent(results))
    io.stdout(options.json === true ? jsonDocument('run', { dryRun: false, results }) : formatRunTotals(results, palette))
    if (results.some((r) => r.status === 'cancelled')) return EXIT.cancelled
    return results.every((r) => r.status === 'succeeded' || r.status === 'skipped') ? EXIT.ok : EXIT.failed
  } finally {
    // On an error too: the bar is erased (and a redraw due cancelled) before the error is printed.
    progress.clear()
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
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
