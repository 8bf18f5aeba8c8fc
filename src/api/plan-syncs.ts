import { canonicalJson } from '../canonical-json.js'
import type { SyncPlan } from '../engine/plan-sync.js'
import { planSyncs as planRunnables, type PlanOutcome } from '../engine/plan-syncs.js'
import { registeredSyncs } from '../engine/registered-syncs.js'
import { runnablesOf, type RunnableSync } from '../engine/runnable-sync.js'
import { WarehousePool } from '../engine/warehouse-pool.js'
import { loadValidSpecs } from '../spec/load-valid-specs.js'
import { checkNumberOption } from './check-option.js'
import { compareWithDbtState, type DbtStateComparison } from './dbt-impact.js'
import { DEFAULT_SPECS_DIR, pickNamed, type SelectionOptions } from './select-syncs.js'

/** How a working-tree sync compares with what is registered (applied by `pulumi up`). */
export type Registration = 'new' | 'changed' | 'unchanged'

/** Options of {@link planSyncs}. */
export interface PlanSyncsOptions extends SelectionOptions {
  /** Plan only these syncs (by name); all of them when undefined or empty. */
  syncs?: readonly string[] | undefined
  /**
   * Sample records per operation and sync, with rejected rows' keys and reasons: above 0 the
   * report holds model values. A whole number, at least 0.
   * @default 0
   */
  samples?: number | undefined
  /**
   * Where the warehouse's credential references resolve; destination credentials are not needed.
   * @default process.env
   */
  credentials?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * A base dbt manifest (its directory, as dbt's `--state` takes it, or the file): each sync that
   * reads a dbt model says whether the model, or anything it is built from, changed since
   * (dbt's `state:modified+`).
   */
  dbtState?: string | undefined
}

/** What changed in the dbt model a planned sync reads, since the base manifest (`dbtState`). */
export interface PlannedDbtModel {
  /** The model as the sync names it. */
  model: string
  changed: boolean
  /** How the model itself changed (`new`, `body`, `configs`, `relation`, `macros`, `contract`). */
  kinds: string[]
  /** Changed models and seeds it is built from. */
  upstream: string[]
}

/** One sync in a {@link PlanReport}: its plan, or why it could not be planned. */
export type PlannedSync = (
  (SyncPlan & { registration: Registration }) | { sync: string; registration: Registration; error: { code: string; message: string } }
) & { dbt?: PlannedDbtModel }

/** What {@link planSyncs} resolves to: the same fields as `outflow plan --format json`. */
export interface PlanReport {
  syncs: PlannedSync[]
  /** Syncs registered but gone from the working tree: `pulumi up` unregisters them (destination data is kept). */
  removed: { sync: string; destination: string }[]
  /** The base dbt manifest the dbt models were compared with (`dbtState`). */
  dbtState?: string
}

/** The plans of the working tree's syncs with their registration; `removed` lists registered syncs gone from it. */
export interface PlanOutcomes {
  outcomes: readonly (PlanOutcome & { registration: Registration })[]
  removed: readonly { sync: string; destination: string }[]
  /** With `dbtState`: the dbt models of the syncs compared with the base manifest. */
  dbt?: DbtStateComparison | undefined
}

/**
 * The data impact of the specs written in a directory, as `outflow plan` computes it: per sync,
 * records to create, update, delete, retry and reject, requests and their time at the
 * destination's rate limit, and whether the sync is new or changed compared with what is
 * registered. Nothing is sent and nothing is written: read-only warehouse credentials suffice.
 * A plan always reads the specs written in a directory, `fromDir` if given, else `dir`. A sync
 * that cannot be planned is an entry with its error; the promise rejects with an `OutflowError`
 * (`SPEC_INVALID`, `SPEC_NOT_FOUND`, `SYNC_NOT_FOUND`, `OPTION_INVALID`, a warehouse's error) only
 * when no plan can be made.
 */
export async function planSyncs(options: PlanSyncsOptions = {}): Promise<PlanReport> {
  const samples = checkNumberOption('samples', options.samples, 0, { min: 0, whole: true })
  // Read-only: a plan works with read-only credentials and changes nothing in the warehouse.
  const warehouses = new WarehousePool(options.credentials ?? process.env, { readOnly: true })
  try {
    return planReportOf(await planOutcomes({ ...options, samples }, warehouses), samples > 0)
  } finally {
    await warehouses.closeAll()
  }
}

/** Plans the working tree's syncs (those named, if any) against the registered ones, as `planSyncs` and `outflow plan` do. */
export async function planOutcomes(
  options: Pick<PlanSyncsOptions, 'dir' | 'fromDir' | 'syncs' | 'samples' | 'credentials' | 'dbtState'>,
  warehouses: WarehousePool,
): Promise<PlanOutcomes> {
  const specs = await loadValidSpecs(options.fromDir ?? options.dir ?? DEFAULT_SPECS_DIR)
  const names = options.syncs ?? []
  const syncs = pickNamed(runnablesOf(specs), names, 'working tree')
  const registered = await registeredSyncs(specs.sources, warehouses)
  const dbt = options.dbtState === undefined ? undefined : await compareWithDbtState(options.dbtState, syncs)
  const outcomes = await planRunnables(syncs, {
    warehouses,
    ...(options.samples === undefined ? {} : { samples: options.samples }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  })
  return {
    outcomes: outcomes.map((o) => ({ ...o, registration: registration(o.runnable, registered) })),
    removed:
      names.length > 0
        ? []
        : registered
            .filter((r) => !syncs.some((s) => s.sync.name === r.sync.name))
            .map((r) => ({ sync: r.sync.name, destination: r.destination.name })),
    dbt,
  }
}

/**
 * The report of plans, as `outflow plan --format json` prints it. Without `values`, sample
 * records and rejected rows' keys are left out (rejected rows stay counted by a value-free reason).
 */
export function planReportOf(plans: PlanOutcomes, values: boolean): PlanReport {
  return {
    syncs: plans.outcomes.map((o) => ({
      ...('plan' in o
        ? { registration: o.registration, ...o.plan, ...(values ? {} : { samples: [], rejections: [] }) }
        : { sync: o.runnable.sync.name, registration: o.registration, error: o.error }),
      ...plannedDbtModel(plans.dbt, o.runnable.sync.name),
    })),
    removed: [...plans.removed],
    ...(plans.dbt === undefined ? {} : { dbtState: plans.dbt.state }),
  }
}

function plannedDbtModel(dbt: DbtStateComparison | undefined, sync: string): { dbt?: PlannedDbtModel } {
  const impact = dbt?.impacts.get(sync)
  if (impact === undefined) return {}
  const { change } = impact
  return { dbt: { model: impact.model, changed: change !== undefined, kinds: change?.kinds ?? [], upstream: change?.upstream ?? [] } }
}

/** Compares a working-tree sync with its registration; where a spec was written (file, line) does not count. */
function registration(runnable: RunnableSync, registered: readonly RunnableSync[]): Registration {
  const applied = registered.find((r) => r.sync.name === runnable.sync.name)
  if (applied === undefined) return 'new'
  const comparable = (r: RunnableSync) =>
    canonicalJson({ sync: { ...r.sync, origin: undefined }, destination: { ...r.destination, origin: undefined } })
  return comparable(applied) === comparable(runnable) ? 'unchanged' : 'changed'
}
