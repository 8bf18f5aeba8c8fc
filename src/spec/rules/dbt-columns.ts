import { didYouMean } from '../../util/suggest.js'
import type { DbtModelRef, SyncSpec } from '../../model/spec-types.js'
import type { RuleFinding, SpecRule } from './rule.js'

/** How many documented columns a message lists. */
const LISTED_COLUMNS = 12

/**
 * The key and mapped columns of a sync reading a dbt model are among the columns dbt documents
 * for it. dbt lists only the columns its YAML properties declare, so a column it does not list
 * is a warning; with an enforced contract the list is the model's columns, and it is an error.
 * A model that documents no column is not checked.
 */
export const dbtColumns: SpecRule = {
  name: 'dbt-columns',
  reads: ['/spec/model', '/spec/key', '/spec/mappings'],
  *check(context) {
    for (const { document, spec } of context.syncs) {
      const resolution = context.dbtModels.get(document)
      if (resolution === undefined || !('model' in resolution) || !('dbt' in spec.model)) continue
      const documented = spec.model.columns.map((c) => c.name)
      if (documented.length === 0) continue
      const severity = resolution.model.contractEnforced ? 'error' : 'warning'
      for (const { column, pointer } of columnsRead(spec)) {
        if (documented.some((name) => name.toLowerCase() === column.toLowerCase())) continue
        yield { document, pointer, severity, message: notDocumented(column, spec.model, resolution.model.contractEnforced) }
      }
    }
  },
}

function columnsRead(spec: SyncSpec): { column: string; pointer: string }[] {
  const read = [{ column: spec.key.column, pointer: '/spec/key/column' }]
  for (const [index, mapping] of spec.mappings.entries()) {
    if (mapping.kind === 'column') read.push({ column: mapping.column, pointer: `/spec/mappings/${index}/column` })
    if (mapping.kind === 'allColumns') {
      for (const [at, column] of mapping.except.entries()) read.push({ column, pointer: `/spec/mappings/${index}/except/${at}` })
    }
  }
  return read
}

function notDocumented(column: string, model: DbtModelRef, contract: boolean): RuleFinding['message'] {
  const names = model.columns.map((c) => c.name)
  const listed = `${names.slice(0, LISTED_COLUMNS).join(', ')}${names.length > LISTED_COLUMNS ? ', …' : ''}`
  const hint = didYouMean(column, names)
  return contract
    ? `column "${column}" is not in dbt model "${model.dbt}", whose contract is enforced${hint} (columns: ${listed})`
    : `column "${column}" is not among the columns dbt documents for model "${model.dbt}"${hint} (documented: ${listed})`
}
