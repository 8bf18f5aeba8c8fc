import { compareDbtModel, type DbtModelChange } from '../dbt/dbt-state.js'
import type { RunnableSync } from '../engine/runnable-sync.js'
import { readSourceDbtManifests, readStateManifest } from './source-dbt-manifests.js'

/** What changed in the dbt model a sync reads, since a base manifest. */
export interface DbtImpact {
  /** The model as the sync names it. */
  model: string
  /** Undefined when neither the model nor anything it is built from changed. */
  change: DbtModelChange | undefined
}

/** The dbt models of planned syncs compared with a base manifest (`outflow plan --dbt-state`). */
export interface DbtStateComparison {
  /** The base manifest, as messages show it. */
  state: string
  /** By sync name, for the syncs that read a dbt model. */
  impacts: ReadonlyMap<string, DbtImpact>
}

/**
 * Compares the dbt model of each sync that reads one, in its Source's current manifest, with the
 * same model in the manifest at `statePath` (dbt's `--state`: a directory or the file), as dbt's
 * `state:modified+` does. Throws `DBT_MANIFEST_INVALID` when a manifest cannot be read.
 */
export async function compareWithDbtState(statePath: string, runnables: readonly RunnableSync[]): Promise<DbtStateComparison> {
  const base = await readStateManifest(statePath)
  const current = await readSourceDbtManifests(runnables)
  const impacts = new Map<string, DbtImpact>()
  for (const { sync, source } of runnables) {
    const manifest = current.get(source.name)
    if (!('dbt' in sync.model) || manifest === undefined) continue
    impacts.set(sync.name, { model: sync.model.dbt, change: compareDbtModel(sync.model.uniqueId, base, manifest) })
  }
  return { state: base.path, impacts }
}
