import type { Located, RuleFinding, SpecRule } from './rule.js'

/** Names are unique per kind: they are how syncs reference sources, destinations and alerts, and how state is keyed. */
export const uniqueNames: SpecRule = {
  name: 'unique-names',
  reads: ['/metadata/name'],
  *check(context) {
    for (const [kind, entries] of [
      ['Source', context.sources],
      ['Destination', context.destinations],
      ['Sync', context.syncs],
      ['Alert', context.alerts],
    ] as const) {
      yield* duplicates(kind, entries)
    }
  },
}

function* duplicates(
  kind: string,
  entries: readonly Located<{ name: string; origin: { file: string; line: number } }>[],
): Iterable<RuleFinding> {
  const first = new Map<string, Located<{ origin: { file: string; line: number } }>>()
  for (const entry of entries) {
    const earlier = first.get(entry.spec.name)
    if (earlier === undefined) {
      first.set(entry.spec.name, entry)
      continue
    }
    const where = `${earlier.spec.origin.file}:${earlier.spec.origin.line}`
    yield { document: entry.document, pointer: '/metadata/name', message: `${kind} "${entry.spec.name}" is already defined at ${where}` }
  }
}
