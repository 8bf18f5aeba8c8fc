import type { Command } from 'commander'

import { OutflowError } from '../errors.js'
import { registeredSyncs } from '../engine/registered-syncs.js'
import { runnablesOf, type RunnableSync } from '../engine/runnable-sync.js'
import type { WarehousePool } from '../engine/warehouse-pool.js'
import { loadValidSpecs } from '../spec/load-valid-specs.js'
import type { SpecSet } from '../model/spec-types.js'
import { didYouMean } from '../util/suggest.js'
import { UsageError } from './usage-error.js'

/** Where the syncs of a command come from. */
export interface SelectionOptions {
  /** Specs directory: its Sources say where the state stores are. */
  dir: string
  /** Run the syncs written in this directory instead of the registered ones (local development). */
  fromDir?: string
}

/** The syncs a command acts on, and where they came from, for messages. */
export interface Selection {
  specs: SpecSet
  syncs: RunnableSync[]
  origin: 'registered' | 'working tree'
}

/** Adds `--dir` and `--from-dir` to a command that runs or inspects syncs. */
export function withSelectionOptions(command: Command): Command {
  return command
    .option('--dir <path>', 'specs directory; its Source specs locate the state stores', 'syncs')
    .option('--from-dir <path>', 'use the syncs written in this directory instead of those registered by `pulumi up` (local development)')
}

/**
 * Loads the specs and picks the syncs: those registered in the sources' state stores (what was
 * applied), or with `--from-dir` those in the working tree; then those named, if any.
 */
export async function selectSyncs(options: SelectionOptions, names: readonly string[], warehouses: WarehousePool): Promise<Selection> {
  const fromDir = options.fromDir
  const specs = await loadValidSpecs(fromDir ?? options.dir)
  const origin = fromDir === undefined ? 'registered' : 'working tree'
  const all = fromDir === undefined ? await registeredSyncs(specs.sources, warehouses) : runnablesOf(specs)
  if (all.length === 0) {
    throw new OutflowError(
      'SPEC_NOT_FOUND',
      fromDir === undefined
        ? `no sync is registered in the state store of ${specs.sources.map((s) => `source "${s.name}"`).join(', ') || 'any source'}: apply the specs with \`pulumi up\`, or use the working tree's with --from-dir ${options.dir}`
        : `no Sync spec in ${fromDir}`,
    )
  }
  if (names.length === 0) return { specs, syncs: all, origin }
  const known = all.map((r) => r.sync.name)
  const unknown = names.filter((name) => !known.includes(name))
  if (unknown.length > 0) {
    const [first] = unknown
    throw new UsageError(`no ${origin} sync named "${first ?? ''}"${didYouMean(first ?? '', known) || ` (${origin}: ${known.join(', ')})`}`)
  }
  return { specs, syncs: all.filter((r) => names.includes(r.sync.name)), origin }
}
