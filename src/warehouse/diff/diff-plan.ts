import { OutflowError } from '../../errors.js'
import type { SyncSpec } from '../../model/spec-types.js'
import { didYouMean } from '../../util/suggest.js'
import { trimStatement } from '../sql-statements.js'
import type { ColumnInfo } from '../warehouse-adapter.js'

/** Which change kinds a sync acts on. */
export interface DiffScope {
  /** Rows whose values changed (not for `send`: an event is sent once). */
  changes: boolean
  /** Rows gone from the model (only `mirror` removes records). */
  removals: boolean
}

/** Everything the diff SQL needs, resolved against the model's real columns. Pure data. */
export interface DiffPlan {
  sync: string
  /** The model as a query. */
  modelSql: string
  /** The key column, as the warehouse names it. */
  keyColumn: string
  /** Model columns whose values are hashed and read, as the warehouse names them, in mapping order. */
  columns: string[]
  /** Mixed into every row hash: a changed spec changes every hash, so every row is re-sent. */
  salt: string
  scope: DiffScope
}

/**
 * The model of a sync as a query: a table becomes `select * from <table>`; SQL loses the `;` that
 * ends it (and comments after it). Trailing comments stay: every wrapper closes its parenthesis on
 * a new line (see `subquery`).
 */
export function modelQuery(sync: Pick<SyncSpec, 'model'>): string {
  return 'table' in sync.model ? `select * from ${sync.model.table}` : trimStatement(sync.model.sql)
}

/**
 * Resolves the key and mapped columns against the model's columns (case-insensitively, since
 * Snowflake folds unquoted names to upper case), and decides the diff's scope from the behavior.
 * Throws `MODEL_INVALID` naming the sync and each missing column.
 */
export function planDiff(sync: SyncSpec, modelColumns: readonly ColumnInfo[], specHash: string): DiffPlan {
  const names = modelColumns.map((c) => c.name)
  const problems: string[] = []
  const resolve = (column: string, where: string): string | undefined => {
    const found = names.find((n) => n === column) ?? names.find((n) => n.toLowerCase() === column.toLowerCase())
    if (found === undefined) problems.push(`${where} column "${column}" is not in the model${didYouMean(column, names)}`)
    return found
  }
  const keyColumn = resolve(sync.key.column, 'key')
  const columns = new Set<string>()
  for (const mapping of sync.mappings) {
    if (mapping.kind === 'column') {
      const found = resolve(mapping.column, 'mapped')
      if (found !== undefined) columns.add(found)
    } else if (mapping.kind === 'allColumns') {
      for (const excluded of mapping.except) resolve(excluded, 'excluded')
      const except = new Set(mapping.except.map((e) => e.toLowerCase()))
      for (const name of names) if (!except.has(name.toLowerCase()) && name !== keyColumn) columns.add(name)
    }
  }
  if (keyColumn === undefined || problems.length > 0) {
    throw new OutflowError('MODEL_INVALID', `sync "${sync.name}": ${problems.join('; ')} (model columns: ${names.join(', ')})`)
  }
  return {
    sync: sync.name,
    modelSql: modelQuery(sync),
    keyColumn,
    columns: [...columns],
    salt: specHash,
    scope: { changes: sync.behavior !== 'send', removals: sync.behavior === 'mirror' },
  }
}
