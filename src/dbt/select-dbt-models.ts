import { didYouMean } from '../util/suggest.js'
import type { DbtManifest, DbtNode } from './dbt-manifest.js'

/** The nodes a selector picked, and the parts of it that matched nothing (with a suggestion each). */
export interface DbtSelection {
  /** Unique ids of the models, seeds and snapshots selected. */
  selected: Set<string>
  /** Each part of the selector that matched nothing, as written, with ` (did you mean "x"?)` when a name is close. */
  unmatched: { item: string; hint: string }[]
}

/**
 * The models a dbt-style selector names, in one manifest. The selector is a list (commas or
 * spaces) of: a model name (`users`), `package.name`, a unique id (`model.shop.users`), a
 * path of its fully qualified name (`shop.marts`, `marts`: every model below), `tag:<tag>` or
 * `path:<directory or file>`; each may take dbt's graph operators, `+users` (and what it is built
 * from) and `users+` (and what is built from it). Pure.
 */
export function selectDbtModels(manifest: DbtManifest, selector: string): DbtSelection {
  const nodes = [...manifest.nodes.values()]
  const children = childrenOf(nodes)
  const selected = new Set<string>()
  const unmatched: DbtSelection['unmatched'] = []
  for (const item of selector.split(/[\s,]+/).filter((part) => part !== '')) {
    const parsed = /^(\+?)(.*?)(\+?)$/.exec(item)
    const [, ancestorsToo = '', value = '', descendantsToo = ''] = parsed ?? []
    const matched = nodes.filter((node) => matches(node, value))
    if (matched.length === 0) {
      unmatched.push({
        item,
        hint: didYouMean(
          value,
          nodes.map((n) => n.name),
        ),
      })
      continue
    }
    for (const node of matched) {
      selected.add(node.uniqueId)
      if (ancestorsToo !== '') walk(node.uniqueId, (id) => manifest.nodes.get(id)?.dependsOn ?? [], selected)
      if (descendantsToo !== '') walk(node.uniqueId, (id) => children.get(id) ?? [], selected)
    }
  }
  return { selected, unmatched }
}

function matches(node: DbtNode, value: string): boolean {
  if (value.startsWith('tag:')) return node.tags.includes(value.slice('tag:'.length))
  if (value.startsWith('path:')) {
    const path = value.slice('path:'.length).replace(/\/+$/, '')
    return node.originalFilePath === path || node.originalFilePath.startsWith(`${path}/`)
  }
  const fqnValue = value.startsWith('fqn:') ? value.slice('fqn:'.length) : value
  if (fqnValue === node.uniqueId || fqnValue === node.name || fqnValue === `${node.packageName}.${node.name}`) return true
  // A dotted path of the fully qualified name, from the package or below it: `shop.marts`, `marts.users`.
  const parts = fqnValue.split('.')
  const startsWith = (fqn: readonly string[]) => parts.every((part, index) => fqn[index] === part)
  return startsWith(node.fqn) || startsWith(node.fqn.slice(1))
}

function childrenOf(nodes: readonly DbtNode[]): Map<string, string[]> {
  const children = new Map<string, string[]>()
  for (const node of nodes) {
    for (const parent of node.dependsOn) children.set(parent, [...(children.get(parent) ?? []), node.uniqueId])
  }
  return children
}

function walk(start: string, next: (id: string) => readonly string[], into: Set<string>): void {
  const seen = new Set<string>()
  const pending = [...next(start)]
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (seen.has(id)) continue
    seen.add(id)
    into.add(id)
    pending.push(...next(id))
  }
}
