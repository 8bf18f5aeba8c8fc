import { textField } from '../row-field.js'
import type { SqlDialect } from '../sql-dialect.js'
import { subquery } from '../subquery.js'
import type { Statement, WarehouseReader } from '../warehouse-adapter.js'
import type { DiffPlan } from './diff-plan.js'

/**
 * Rows a run sends again whatever the snapshot says was sent: every row of the model (a full
 * resync), or the rows of some keys. Plain data, so that it crosses the workflow engine as it is.
 *
 * @example
 * { kind: 'all' }
 * { kind: 'keys', keys: ['u1', "o'brien@example.com"] }
 */
export type Resend = { kind: 'all' } | { kind: 'keys'; keys: readonly string[] }

/** A resend as the diff runs it: undefined for every row, else the table of the keys (`row_key`). */
export interface DiffResend {
  keys: string | undefined
}

/**
 * The row hash a resend writes over the snapshot's: it never equals a row's hash, so the next diff
 * finds the row changed and sends it, and a run that stops halfway leaves the rest to the next
 * one. A row hash hashes the spec's hash first, never this text alone; and unlike a null (an
 * event's intent) it still reads as a record this sync wrote, for `mirror` and `verify`.
 */
export function staleRowHash(dialect: SqlDialect): string {
  return dialect.hash(`'outflow resend'`)
}

/**
 * Makes the table of a resend's keys with `keep` (the diff store's) and writes the keys to it as
 * bound parameters: a key is a value, never SQL. Resolves to the table's reference.
 */
export async function keepResendKeys(
  reader: WarehouseReader,
  keep: (select: string) => Promise<string>,
  keys: readonly string[],
): Promise<string> {
  const table = await keep(`select cast(null as ${reader.dialect.types.text}) as row_key where 1 = 0`)
  if (keys.length > 0) await reader.run(insertKeys(table, keys))
  return table
}

function insertKeys(table: string, keys: readonly string[]): Statement {
  return { sql: `insert into ${table} (row_key) values ${keys.map(() => '(?)').join(', ')}`, params: keys }
}

/**
 * The snapshot as a resend's diff reads it: the rows to send again with {@link staleRowHash}, so
 * that every one of them is changed; with `keys`, only the rows of those keys.
 */
export function resendSnapshotSql(dialect: SqlDialect, snapshot: string, keys: string | undefined): string {
  const where = keys === undefined ? '' : ` where s.row_key in (select k.row_key from ${keys} k)`
  return `(select s.row_key, ${staleRowHash(dialect)} as row_hash, s.created from ${snapshot} s${where})`
}

/**
 * A diff plan narrowed to the model rows of some keys (compared as the diff compares keys, as
 * text). It never removes: a key gone from the model is reported, and left to the next run.
 */
export function keyedDiffPlan(plan: DiffPlan, dialect: SqlDialect, keys: string): DiffPlan {
  const key = dialect.toText(`m.${dialect.quoteIdentifier(plan.keyColumn)}`)
  return {
    ...plan,
    modelSql: `select m.* from ${subquery(plan.modelSql, 'm')} where ${key} in (select k.row_key from ${keys} k)`,
    scope: { ...plan.scope, removals: false },
  }
}

/** The keys of `keys` with no row in the change set `changes`: no row of the model has them. */
export async function readMissingKeys(reader: WarehouseReader, keys: string, changes: string): Promise<string[]> {
  const { rows } = await reader.run({
    sql: `select k.row_key from ${keys} k where not exists (select 1 from ${changes} c where c.__key = k.row_key) order by k.row_key`,
  })
  return rows.map((row) => textField(row, 'row_key') ?? '')
}
