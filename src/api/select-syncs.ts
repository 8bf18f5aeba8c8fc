import { OutflowError } from '../errors.js'
import { registeredSyncs } from '../engine/registered-syncs.js'
import { runnablesOf, type RunnableSync } from '../engine/runnable-sync.js'
import type { WarehousePool } from '../engine/warehouse-pool.js'
import type { SpecSet } from '../model/spec-types.js'
import { loadValidSpecs } from '../spec/load-valid-specs.js'
import { didYouMean } from '../util/suggest.js'

/** The specs directory a command reads when none is given. */
export const DEFAULT_SPECS_DIR = 'syncs'

/** Where the syncs of a command come from: the registered ones, or those written in a directory. */
export interface SelectionOptions {
  /**
   * Specs directory: its Sources say where the state stores are, and the syncs registered there
   * (by `pulumi up`) are the ones used.
   * @default 'syncs'
   */
  dir?: string | undefined
  /** Use the syncs written in this directory instead of the registered ones (local development). */
  fromDir?: string | undefined
}

/** Where the syncs came from: registered in the state stores, or written in the working tree. */
export type SyncOrigin = 'registered' | 'working tree'

/** The syncs a command acts on, and where they came from, for messages. */
export interface Selection {
  specs: SpecSet
  syncs: RunnableSync[]
  origin: SyncOrigin
}

/**
 * Loads the specs and picks the syncs: those registered in the sources' state stores (what was
 * applied), or with `fromDir` those in the working tree; then those named, if any. Throws
 * `SPEC_NOT_FOUND` when there is no sync at all, `SYNC_NOT_FOUND` for a name that matches none.
 */
export async function selectSyncs(options: SelectionOptions, names: readonly string[], warehouses: WarehousePool): Promise<Selection> {
  const { fromDir } = options
  const dir = options.dir ?? DEFAULT_SPECS_DIR
  // Registered syncs were resolved (dbt models included) when they were registered: from `dir`
  // only the Sources are needed, so a dbt manifest that is not there (no `dbt parse` on this
  // machine) leaves out the working tree's syncs that need it instead of failing.
  const specs = await loadValidSpecs(fromDir ?? dir, fromDir === undefined ? { dbtManifests: 'optional' } : {})
  const origin = fromDir === undefined ? 'registered' : 'working tree'
  const all = fromDir === undefined ? await registeredSyncs(specs.sources, warehouses) : runnablesOf(specs)
  if (all.length === 0) {
    throw new OutflowError(
      'SPEC_NOT_FOUND',
      fromDir === undefined
        ? `no sync is registered in the state store of ${specs.sources.map((s) => `source "${s.name}"`).join(', ') || 'any source'}: apply the specs with \`pulumi up\`, or use the working tree's with --from-dir ${dir}`
        : `no Sync spec in ${fromDir}`,
    )
  }
  return { specs, syncs: pickNamed(all, names, origin), origin }
}

/** The syncs of `all` named in `names` (all of them when none is named); `SYNC_NOT_FOUND` for a name that matches none. */
export function pickNamed(all: readonly RunnableSync[], names: readonly string[], origin: SyncOrigin): RunnableSync[] {
  if (names.length === 0) return [...all]
  const known = all.map((r) => r.sync.name)
  const unknown = names.find((name) => !known.includes(name))
  if (unknown !== undefined) {
    throw new OutflowError(
      'SYNC_NOT_FOUND',
      `no ${origin} sync named "${unknown}"${didYouMean(unknown, known) || ` (${origin}: ${known.join(', ') || 'none'})`}`,
    )
  }
  return all.filter((r) => names.includes(r.sync.name))
}
