import { OutflowError } from '../errors.js'
import { selectDbtModels } from '../dbt/select-dbt-models.js'
import type { RunnableSync } from '../engine/runnable-sync.js'
import { readSourceDbtManifests } from './source-dbt-manifests.js'

/**
 * The syncs that read a model a dbt selector names (`users,orders`, `marts+`, `tag:crm`; see
 * `selectDbtModels`), in the current manifest of each sync's Source: for running the syncs of
 * the models a dbt job just built. Throws `OPTION_INVALID` for a part of the selector that names
 * no node of any manifest, or when no Source names a dbt project; `DBT_MANIFEST_INVALID` when a
 * manifest cannot be read.
 */
export async function pickReadingDbtModels(runnables: readonly RunnableSync[], selector: string): Promise<RunnableSync[]> {
  const manifests = await readSourceDbtManifests(runnables)
  if (manifests.size === 0) {
    throw new OutflowError('OPTION_INVALID', '--dbt-models: no Source of these syncs names a dbt project (`dbt: { project: … }`)')
  }
  const selections = new Map([...manifests].map(([source, manifest]) => [source, selectDbtModels(manifest, selector)] as const))
  const [first, ...others] = [...selections.values()]
  const unmatched = (first?.unmatched ?? []).filter(({ item }) => others.every((s) => s.unmatched.some((u) => u.item === item)))
  if (unmatched.length > 0) {
    const where = [...manifests.values()].map((m) => m.path).join(', ')
    const items = unmatched.map(({ item, hint }) => `"${item}"${hint}`).join(', ')
    throw new OutflowError('OPTION_INVALID', `--dbt-models: no dbt model matches ${items} in ${where}`)
  }
  return runnables.filter(
    ({ sync, source }) => 'dbt' in sync.model && selections.get(source.name)?.selected.has(sync.model.uniqueId) === true,
  )
}
