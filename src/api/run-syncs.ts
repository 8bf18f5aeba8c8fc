import { emitAlertWarning, type AlertWarning } from '../alerts/alert-warning.js'
import { dueSyncs } from '../engine/due-syncs.js'
import { DEFAULT_MAX_CONSECUTIVE_FAILURES } from '../engine/failure-breaker.js'
import type { SyncProgress } from '../engine/run-sync.js'
import { runSyncs as runRunnables } from '../engine/run-syncs.js'
import type { RunnableSync } from '../engine/runnable-sync.js'
import type { SyncRunResult } from '../engine/sync-run-result.js'
import { isWarehouseInUse } from '../engine/warehouse-in-use.js'
import { WarehousePool } from '../engine/warehouse-pool.js'
import { checkNumberOption } from './check-option.js'
import { pickReadingDbtModels } from './dbt-model-selection.js'
import { refuseResendOfEvents, resendOf } from './resend-options.js'
import { selectSyncs, type Selection, type SelectionOptions } from './select-syncs.js'

/** Options of {@link runSyncs}. */
export interface RunSyncsOptions extends SelectionOptions {
  /** Run only these syncs (by name); all of them when undefined or empty. */
  syncs?: readonly string[] | undefined
  /**
   * Run only the syncs whose schedule (cron or interval) is due now, by the start of their last
   * run, as `outflow run --due` does.
   * @default false
   */
  due?: boolean | undefined
  /**
   * Run only the syncs that read a dbt model this dbt selector names (`users,orders`, `marts+`,
   * `tag:crm`), in the current manifest of their Source's dbt project, as `outflow run
   * --dbt-models` does: right after a dbt job, the syncs of the models it built.
   */
  dbtModels?: string | undefined
  /**
   * Send every row of each sync's model again, whatever was sent before, as `outflow run
   * --full-resync` does (after a vendor lost data, say): upserts for every row, removals only as
   * a run would make them anyway (`mirror`). Rejected with `OPTION_INVALID` when a sync chosen
   * sends events (`send`): an event is sent once and never again.
   * @default false
   */
  fullResync?: boolean | undefined
  /**
   * Send only the rows of these keys (values of the sync's key column, as text), whether or not
   * they changed, as `outflow run --keys` does: to try a mapping on real data. Needs exactly one
   * sync in `syncs` (not with `due`, `dbtModels` or `fullResync`); at most 1000 keys. Their
   * results are recorded as a run's, other rows are left as they are, and nothing is removed; a
   * key no model row has is listed in the result's `missingKeys`.
   */
  keys?: readonly string[] | undefined
  /**
   * Where credential references (`{ secret: NAME }`, `{ env: NAME }`) resolve: the warehouse's
   * and the destinations'.
   * @default process.env
   */
  credentials?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * Aborting stops the run: no new batch starts, batches in flight finish and are recorded, and
   * the syncs it stopped end `cancelled`. The promise still resolves, with every result.
   */
  signal?: AbortSignal | undefined
  /** Called each time a batch of a sync's rows has its results: rows done of the run's total, and the counts so far. */
  onProgress?: ((progress: SyncProgress) => void) | undefined
  /** Called as each sync's run ends, with the result it also has in the report. */
  onResult?: ((result: SyncRunResult) => void) | undefined
  /**
   * Requests in a row that may fail for one cause (a 429 that keeps coming, a 5xx) before a sync
   * stops as `partial`; 0 never stops. A whole number from 0 to 1000000.
   * @default 20
   */
  maxConsecutiveFailures?: number | undefined
  /**
   * How long a sync stays locked after its runner dies (the lease is renewed while it lives). At
   * least 1000.
   * @default 60000
   */
  leaseTtlMs?: number | undefined
  /**
   * How long to wait for an embedded DuckDB file another process has open before its syncs are
   * skipped, as `outflow run --wait` does; 0 skips them at once.
   * @default 0
   */
  warehouseWaitMs?: number | undefined
  /**
   * Told of each alert (an `Alert` document a sync carries) that could not be sent, naming the
   * alert and never its URL; the run's results are not affected.
   * @default a Node process warning (`process.emitWarning`, code `OUTFLOW_ALERT_NOT_SENT`)
   */
  onAlertWarning?: ((warning: AlertWarning) => void) | undefined
}

/** What {@link runSyncs} resolves to: the same fields as `outflow run --json`. */
export interface RunSyncsReport {
  /** One result per sync chosen, in the order of the specs (or of the registrations); none when `due` found none due. */
  results: SyncRunResult[]
  /**
   * Set when no sync could be chosen because the warehouse that lists them (an embedded DuckDB
   * file) is held by another process: why, with `results` empty.
   */
  skipped?: string
}

/** How long a lease lasts without renewal when nothing else is said. */
const DEFAULT_LEASE_TTL_MS = 60_000

/**
 * Runs syncs as `outflow run` does: the syncs registered in the state stores of the Sources in
 * `dir` (what `pulumi up` applied), or with `fromDir` those written there; those named in `syncs`
 * if any. Each sync sends only its model's changes since its last run. A sync that fails is a
 * result, not an exception; the promise rejects with an `OutflowError` only when no sync could be
 * chosen, or `fullResync` or `keys` cannot apply: `SPEC_INVALID`, `SPEC_NOT_FOUND`,
 * `SYNC_NOT_FOUND`, `OPTION_INVALID`, or a warehouse's error (`CREDENTIAL_MISSING`,
 * `WAREHOUSE_CONNECTION_FAILED`, ...).
 */
export async function runSyncs(options: RunSyncsOptions = {}): Promise<RunSyncsReport> {
  const leaseTtlMs = checkNumberOption('leaseTtlMs', options.leaseTtlMs, DEFAULT_LEASE_TTL_MS, { min: 1000 })
  const maxConsecutiveFailures = checkNumberOption(
    'maxConsecutiveFailures',
    options.maxConsecutiveFailures,
    DEFAULT_MAX_CONSECUTIVE_FAILURES,
    {
      min: 0,
      max: 1_000_000,
      whole: true,
    },
  )
  const waitMs = checkNumberOption('warehouseWaitMs', options.warehouseWaitMs, 0, { min: 0 })
  const resend = resendOf(options)
  const credentials = options.credentials ?? process.env
  const { signal } = options
  const warehouses = new WarehousePool(credentials, { waitMs, ...(signal === undefined ? {} : { signal }) })
  try {
    const selected = await selectToRun(options, warehouses)
    if ('skipped' in selected) return { results: [], skipped: selected.skipped }
    refuseResendOfEvents(selected.syncs, resend)
    const results = await runRunnables(selected.syncs, {
      warehouses,
      credentials,
      leaseTtlMs,
      maxConsecutiveFailures,
      ...(signal === undefined ? {} : { signal }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.onResult === undefined ? {} : { onResult: options.onResult }),
      alerts: { onWarning: options.onAlertWarning ?? emitAlertWarning },
      ...(resend === undefined ? {} : { resend }),
    })
    return { results }
  } finally {
    await warehouses.closeAll()
  }
}

/** What a run acts on: the selection and the syncs of it to run (the due ones, with `due`). */
export interface RunSelection {
  selection: Selection
  syncs: RunnableSync[]
}

/**
 * The syncs to run, as `runSyncs` and `outflow run` choose them, or why none can be chosen: the
 * warehouse that lists them (or their last runs, with `due`) is held by another process.
 */
export async function selectToRun(
  options: Pick<RunSyncsOptions, 'dir' | 'fromDir' | 'syncs' | 'due' | 'dbtModels'>,
  warehouses: WarehousePool,
): Promise<RunSelection | { skipped: string }> {
  try {
    const selection = await selectSyncs(options, options.syncs ?? [], warehouses)
    const reading = options.dbtModels === undefined ? selection.syncs : await pickReadingDbtModels(selection.syncs, options.dbtModels)
    const syncs = options.due === true ? await dueSyncs(reading, warehouses, new Date()) : reading
    return { selection, syncs }
  } catch (error) {
    if (isWarehouseInUse(error)) return { skipped: error.message }
    throw error
  }
}
