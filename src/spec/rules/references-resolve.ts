import { didYouMean } from '../../util/suggest.js'
import type { SpecRule } from './rule.js'

/** A sync's `source` and `destination` name documents that exist. */
export const referencesResolve: SpecRule = {
  name: 'references-resolve',
  *check(context) {
    const sources = context.sources.map((s) => s.spec.name)
    const destinations = context.destinations.map((d) => d.spec.name)
    for (const { spec, document } of context.syncs) {
      if (!sources.includes(spec.source)) {
        yield { document, pointer: '/spec/source', message: `no Source named "${spec.source}"${hint(spec.source, sources)}` }
      }
      if (!destinations.includes(spec.destination)) {
        yield {
          document,
          pointer: '/spec/destination',
          message: `no Destination named "${spec.destination}"${hint(spec.destination, destinations)}`,
        }
      }
    }
  },
}

function hint(name: string, known: readonly string[]): string {
  if (known.length === 0) return ' (none is defined)'
  return didYouMean(name, known) || ` (defined: ${known.join(', ')})`
}
