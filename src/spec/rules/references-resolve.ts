import { didYouMean } from '../../util/suggest.js'
import { pointersOverlap, valueAt } from '../json-pointer.js'
import type { ParsedDocument } from '../parse-yaml.js'
import { SPEC_KINDS } from '../spec-schemas.js'
import type { RuleContext, SpecRule } from './rule.js'

type ReferencedKind = 'Source' | 'Destination'

const REFERENCES = [
  { kind: 'Source', pointer: '/spec/source' },
  { kind: 'Destination', pointer: '/spec/destination' },
] as const satisfies readonly { kind: ReferencedKind; pointer: string }[]

/** A name a sync gives for a Source or Destination, and where it is written. */
interface SyncReference {
  document: ParsedDocument
  kind: ReferencedKind
  pointer: string
  name: string
}

/**
 * A sync's `source` and `destination` name documents that exist. A sync with schema errors
 * elsewhere is checked too, and a name that belongs to a document with errors of its own is not
 * reported: that document's problems say what to fix.
 */
export const referencesResolve: SpecRule = {
  name: 'references-resolve',
  reads: ['/spec/source', '/spec/destination'],
  *check(context) {
    const known = { Source: knownNames(context, 'Source'), Destination: knownNames(context, 'Destination') }
    for (const reference of syncReferences(context)) {
      const { defined, invalid, unknownKind } = known[reference.kind]
      if (defined.includes(reference.name) || invalid.includes(reference.name) || unknownKind.includes(reference.name)) continue
      yield {
        document: reference.document,
        pointer: reference.pointer,
        message: `no ${reference.kind} named "${reference.name}"${hint(reference.name, [...defined, ...invalid])}`,
      }
    }
  },
}

/** The references of every sync: as normalized, or as written where a sync could not be normalized and the name itself is sound. */
function* syncReferences(context: RuleContext): Iterable<SyncReference> {
  for (const { spec, document } of context.syncs) {
    yield { document, kind: 'Source', pointer: '/spec/source', name: spec.source }
    yield { document, kind: 'Destination', pointer: '/spec/destination', name: spec.destination }
  }
  for (const { document, kind, invalid } of context.unchecked) {
    if (kind !== 'Sync') continue
    for (const { kind: referenced, pointer } of REFERENCES) {
      const name = valueAt(document.data, pointer)
      if (typeof name === 'string' && !invalid.some((p) => pointersOverlap(p, pointer))) yield { document, kind: referenced, pointer, name }
    }
  }
}

/**
 * The names of `kind`: of the documents the rules check, of those with errors that left them
 * unchecked, and of unchecked documents whose kind is unknown (a `Destinaton` may be meant).
 */
function knownNames(context: RuleContext, kind: ReferencedKind): { defined: string[]; invalid: string[]; unknownKind: string[] } {
  const defined = (kind === 'Source' ? context.sources : context.destinations).map((d) => d.spec.name)
  const named = context.unchecked.flatMap((u) => (u.name === undefined ? [] : [{ kind: u.kind, name: u.name }]))
  const isKnownKind = (k: string | undefined) => k !== undefined && (SPEC_KINDS as readonly string[]).includes(k)
  return {
    defined,
    invalid: named.filter((u) => u.kind === kind).map((u) => u.name),
    unknownKind: named.filter((u) => !isKnownKind(u.kind)).map((u) => u.name),
  }
}

function hint(name: string, known: readonly string[]): string {
  if (known.length === 0) return ' (none is defined)'
  return didYouMean(name, known) || ` (defined: ${known.join(', ')})`
}
