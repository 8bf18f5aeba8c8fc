import { didYouMean } from '../../util/suggest.js'
import { pointersOverlap, valueAt } from '../json-pointer.js'
import type { ParsedDocument } from '../parse-yaml.js'
import { selects } from '../normalize-alert.js'
import type { RuleContext, RuleFinding, SpecRule } from './rule.js'

/** A list of names a document writes, where it writes it. */
interface NameList {
  document: ParsedDocument
  pointer: string
  /** As written: the schema makes them names wherever the list is sound. */
  names: readonly unknown[]
}

/**
 * A sync's `alerts` name `Alert` documents that exist, and an alert's `syncs.names` name syncs
 * that exist; names of documents with errors of their own are not reported (their problems say
 * what to fix). An alert that no sync lists and whose `syncs` select none is a warning: it would
 * never be sent.
 */
export const alertReferences: SpecRule = {
  name: 'alert-references',
  reads: ['/spec/alerts', '/spec/syncs'],
  *check(context) {
    const alerts = namesOf(context, 'Alert')
    const syncs = namesOf(context, 'Sync')
    const listedBySyncs = lists(context, 'Sync', '/spec/alerts')
    for (const list of listedBySyncs) yield* unknownNames(list, 'Alert', alerts)
    for (const list of lists(context, 'Alert', '/spec/syncs/names')) yield* unknownNames(list, 'Sync', syncs)
    const listed = new Set(listedBySyncs.flatMap((l) => l.names))
    for (const { spec, document } of context.alerts) {
      if (listed.has(spec.name) || context.syncs.some((sync) => selects(spec, sync.spec))) continue
      yield {
        document,
        pointer: '/metadata/name',
        severity: 'warning',
        message: `alert "${spec.name}" applies to no sync: list it in a sync's \`alerts\`, or select syncs with \`syncs\``,
      }
    }
  },
}

function* unknownNames(list: NameList, kind: 'Alert' | 'Sync', known: { defined: string[]; invalid: string[] }): Iterable<RuleFinding> {
  for (const [index, name] of list.names.entries()) {
    if (typeof name !== 'string' || known.defined.includes(name) || known.invalid.includes(name)) continue
    const candidates = [...known.defined, ...known.invalid]
    const hint = candidates.length === 0 ? ' (none is defined)' : didYouMean(name, candidates)
    yield { document: list.document, pointer: `${list.pointer}/${index}`, message: `no ${kind} named "${name}"${hint}` }
  }
}

/** The names of `kind`: of documents the rules check, and of those whose errors left them unchecked. */
function namesOf(context: RuleContext, kind: 'Alert' | 'Sync'): { defined: string[]; invalid: string[] } {
  const checked = kind === 'Alert' ? context.alerts : context.syncs
  return {
    defined: checked.map((c) => c.spec.name),
    invalid: context.unchecked.flatMap((u) => (u.kind === kind && u.name !== undefined ? [u.name] : [])),
  }
}

/** The name lists written at `pointer` by every document of `kind`, checked or not, where the list itself is sound. */
function lists(context: RuleContext, kind: 'Alert' | 'Sync', pointer: string): NameList[] {
  const checked = (kind === 'Alert' ? context.alerts : context.syncs).map((c) => ({ document: c.document, invalid: [] }))
  const unchecked = context.unchecked.filter((u) => u.kind === kind)
  return [...checked, ...unchecked].flatMap(({ document, invalid }) => {
    const names = valueAt(document.data, pointer)
    if (!Array.isArray(names) || invalid.some((p) => pointersOverlap(p, pointer))) return []
    return [{ document, pointer, names }]
  })
}
