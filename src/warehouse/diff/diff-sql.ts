import type { SqlDialect } from '../sql-dialect.js'
import { sqlString } from '../sql-literal.js'
import type { DiffPlan } from './diff-plan.js'

/** Kinds of row the diff returns. The last two are rejected: never sent. */
export const CHANGE_OPS = ['added', 'changed', 'removed', 'duplicate_key', 'null_key'] as const
export type ChangeOp = (typeof CHANGE_OPS)[number]

/** Where the diff reads the snapshot and writes the change set. */
export interface DiffTables {
  snapshot: string
  changes: string
}

/**
 * The diff as one statement that materialises the change set into `tables.changes`. Two phases
 * keep it close to one scan of the model: first a narrow join of (key, row hash) against the
 * snapshot finds the changed keys (about 1% of rows on a normal run), then the full rows are read
 * only for those. Keys that occur more than once, and null keys, are returned as rejections and
 * never compared, so a duplicated key is neither sent nor removed.
 */
export function renderDiffSql(plan: DiffPlan, dialect: SqlDialect, tables: DiffTables): string {
  const q = (name: string) => dialect.quoteIdentifier(name)
  const rawKey = `m.${q(plan.keyColumn)}`
  const key = dialect.toText(rawKey)
  const model = `(${plan.modelSql}) m`
  const rowHash = rowHashSql(plan, dialect)
  const columns = plan.columns.map((c) => `r.${q(c)}`)
  const nullColumns = plan.columns.map((c) => `null as ${q(c)}`)
  const select = (op: string, keyExpr: string, hashExpr: string, countExpr: string, cols: readonly string[]) =>
    `select ${[`${op} as __op`, `${keyExpr} as __key`, `${hashExpr} as __hash`, `${countExpr} as __count`, ...cols].join(', ')}`
  const conditions = ['s.row_key is null', 'c.__k is null', 'c.__h is distinct from s.row_hash']
  const scope = [plan.scope.changes ? '' : ' and s.row_key is null', plan.scope.removals ? '' : ' and c.__k is not null'].join('')
  const changes = `with dup as (select ${key} as __k, count(*) as __n from ${model} where ${rawKey} is not null group by ${key} having count(*) > 1),
cur as (select ${key} as __k, ${rowHash} as __h from ${model} where ${rawKey} is not null),
delta as (select case when s.row_key is null then 'added' when c.__k is null then 'removed' else 'changed' end as __op,
  coalesce(c.__k, s.row_key) as __key, c.__h as __h
  from cur c full outer join ${tables.snapshot} s on c.__k = s.row_key
  where (${conditions.join(' or ')})${scope}),
live as (select d.__op, d.__key, d.__h from delta d left join dup on dup.__k = d.__key where dup.__k is null)
${select('l.__op', 'l.__key', dialect.hashToText('l.__h'), 'cast(null as bigint)', columns)}
  from live l join (select ${key} as __k${plan.columns.map((c) => `, m.${q(c)}`).join('')} from ${model} where ${rawKey} is not null) r on r.__k = l.__key
  where l.__op <> 'removed'
union all ${select('__op', '__key', 'cast(null as varchar)', 'cast(null as bigint)', nullColumns)} from live where __op = 'removed'
union all ${select("'duplicate_key'", '__k', 'cast(null as varchar)', '__n', nullColumns)} from dup
union all ${select("'null_key'", 'cast(null as varchar)', 'cast(null as varchar)', 'count(*)', nullColumns)} from ${model} where ${rawKey} is null having count(*) > 0`
  return dialect.createTableAs(tables.changes, changes)
}

/**
 * One hashing scan of the model: the same hash the diff computes, over every row. The benchmark's
 * floor: the diff is measured against it.
 */
export function renderHashScanSql(plan: DiffPlan, dialect: SqlDialect): string {
  return `select count(*) as n, max(${dialect.hashToText(rowHashSql(plan, dialect))}) as h from (${plan.modelSql}) m`
}

/**
 * The row hash over the mapped columns of model row `m`. Each value is prefixed (`v`) and a null
 * is `n`, so null and the empty string differ. The salt (the spec hash) comes first: a spec
 * change changes every hash, and every row is re-sent.
 */
function rowHashSql(plan: DiffPlan, dialect: SqlDialect): string {
  const values = plan.columns.map((c) => `coalesce('v' || ${dialect.toText(`m.${dialect.quoteIdentifier(c)}`)}, 'n')`)
  return dialect.hash(`concat_ws(chr(31), ${[sqlString(plan.salt), ...values].join(', ')})`)
}
