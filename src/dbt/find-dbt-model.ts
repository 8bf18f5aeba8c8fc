import { didYouMean } from '../util/suggest.js'
import type { DbtManifest, DbtNode } from './dbt-manifest.js'

/** A model found, or why it cannot be used, as a message for `outflow validate`. */
export type DbtModelLookup = { model: DbtNode } | { problem: string }

/** How many model names a message lists when no name is close to the one asked for. */
const LISTED_MODELS = 12

/**
 * Finds the model a sync names, `users` or `package.users`: in the root project first when
 * several packages have one of that name; for a versioned model, its latest version. A model that
 * is unknown, disabled, ambiguous or builds no relation (ephemeral) is a problem, with suggestions.
 */
export function findDbtModel(manifest: DbtManifest, reference: string): DbtModelLookup {
  const [first, second] = reference.split('.')
  const name = second ?? first ?? reference
  const packageName = second === undefined ? undefined : first
  const models = [...manifest.nodes.values()].filter((n) => n.resourceType === 'model')
  const named = models.filter((m) => m.name === name && (packageName === undefined || m.packageName === packageName))
  const latest = named.filter((m) => m.version === undefined || m.version === m.latestVersion)
  const candidates = latest.length > 0 ? latest : named
  const inRoot = candidates.filter((m) => m.packageName === manifest.projectName)
  const chosen = inRoot.length === 1 ? inRoot : candidates
  if (chosen.length > 1) {
    const qualified = chosen.map((m) => `${m.packageName}.${m.name}`)
    return { problem: `dbt model "${reference}" is in several packages of ${manifest.path}: write one of ${qualified.join(', ')}` }
  }
  const model = chosen[0]
  if (model === undefined) return { problem: unknownModel(manifest, reference, name, models) }
  if (model.relationName === null) {
    return {
      problem: `dbt model "${reference}" is ${model.materialized || 'not materialized'}: dbt builds no table or view for it, so there is nothing to read (materialize it as a table or view)`,
    }
  }
  return { model }
}

function unknownModel(manifest: DbtManifest, reference: string, name: string, models: readonly DbtNode[]): string {
  const where = `in ${manifest.path}`
  if (manifest.disabledModels.includes(name)) return `dbt model "${reference}" is disabled ${where}`
  const names = [...new Set(models.map((m) => m.name))].sort()
  const hint =
    didYouMean(name, names) ||
    (names.length === 0
      ? ' (it has no model)'
      : ` (models: ${names.slice(0, LISTED_MODELS).join(', ')}${names.length > LISTED_MODELS ? ', …' : ''})`)
  return `no dbt model "${reference}" ${where}${hint}; a model added since dbt last ran needs \`dbt parse\` (or \`dbt build\`) first`
}
