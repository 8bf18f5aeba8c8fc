import type { DbtManifest, DbtNode } from './dbt-manifest.js'

/**
 * How a node changed between two manifests, in the words of dbt's `state:modified` selectors:
 * `new` (not in the base), `body` (its SQL or seed data), `configs`, `relation` (database,
 * schema or alias), `macros` (a macro it calls, directly or not) and `contract` (the columns of
 * an enforced contract). Descriptions change no data and are not compared.
 */
export const DBT_CHANGE_KINDS = ['new', 'body', 'configs', 'relation', 'macros', 'contract'] as const
export type DbtChangeKind = (typeof DBT_CHANGE_KINDS)[number]

/** A model changed since the base manifest, itself or through the models and seeds it is built from. */
export interface DbtModelChange {
  /** The model's unique id. */
  model: string
  /** How the model itself changed; empty when only nodes upstream of it did. */
  kinds: DbtChangeKind[]
  /** Changed nodes upstream of it (models, seeds, snapshots), by name, nearest first. */
  upstream: string[]
}

/**
 * Compares one model between a base manifest (the main branch's, say) and the current one, as
 * `dbt ls --select state:modified+ --state <base>` would: undefined when neither it nor any
 * node it is built from changed. Pure.
 */
export function compareDbtModel(uniqueId: string, base: DbtManifest, current: DbtManifest): DbtModelChange | undefined {
  const node = current.nodes.get(uniqueId)
  if (node === undefined) return undefined
  const kinds = changeKinds(node, base, current)
  const upstream = ancestors(node, current)
    .filter((ancestor) => changeKinds(ancestor, base, current).length > 0)
    .map((ancestor) => ancestor.name)
  return kinds.length === 0 && upstream.length === 0 ? undefined : { model: uniqueId, kinds, upstream }
}

function changeKinds(node: DbtNode, base: DbtManifest, current: DbtManifest): DbtChangeKind[] {
  const before = base.nodes.get(node.uniqueId)
  if (before === undefined) return ['new']
  const kinds: DbtChangeKind[] = []
  if (before.checksum !== node.checksum) kinds.push('body')
  if (before.config !== node.config) kinds.push('configs')
  if (before.database !== node.database || before.schema !== node.schema || before.alias !== node.alias) kinds.push('relation')
  if (macrosChanged(node.macros, base, current)) kinds.push('macros')
  if ((node.contractEnforced || before.contractEnforced) && contractOf(before) !== contractOf(node)) kinds.push('contract')
  return kinds
}

function contractOf(node: DbtNode): string {
  return JSON.stringify([node.contractEnforced, node.columns.map((c) => [c.name, c.dataType ?? null])])
}

/** Whether a macro called, or a macro those call, has other SQL (or is new) in the current manifest. */
function macrosChanged(macros: readonly string[], base: DbtManifest, current: DbtManifest): boolean {
  const seen = new Set<string>()
  const pending = [...macros]
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (seen.has(id)) continue
    seen.add(id)
    const now = current.macros.get(id)
    if (now === undefined) continue
    if (base.macros.get(id)?.sql !== now.sql) return true
    pending.push(...now.macros)
  }
  return false
}

/** The models, seeds and snapshots a node is built from, directly or not, nearest first. */
function ancestors(node: DbtNode, manifest: DbtManifest): DbtNode[] {
  const found: DbtNode[] = []
  const seen = new Set([node.uniqueId])
  const queue = [...node.dependsOn]
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue
    seen.add(id)
    const parent = manifest.nodes.get(id)
    if (parent === undefined) continue
    found.push(parent)
    queue.push(...parent.dependsOn)
  }
  return found
}
