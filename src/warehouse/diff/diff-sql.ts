import type { SqlDialect } from '../sql-dialect.js'
import { sqlString } from '../sql-literal.js'
import { subquery } from '../subquery.js'
import type { DiffPlan } from './diff-plan.js'

/** Kinds of row the diff returns. The last two are rejected: never sent. */
export const CHANGE_OPS = ['added', 'changed', 'removed', 'duplicate_key', 'null_key'] as const
export type ChangeOp = (typeof CHANGE_OPS)[number]

/**
 * The diff, as two queries, each materialised in a table: by the runner in the state schema, by a
 * plan as scratch tables of its session. The first ({@link renderDeltaSql}) joins (key, row hash)
 * of every model row against the snapshot and keeps only what differs (about 1% of rows on a
 * normal run) in a narrow table; keys that occur more than once, and null keys, become rejections
 * there and are never compared, so a duplicated key is neither sent nor removed. The second
 * ({@link renderChangesSql}) reads the full rows of the added and changed keys only. Kept apart,
 * each is planned well: as one statement, engines planned the second phase over the whole model,
 * and took twice as long.
 *
 * Each row keeps the snapshot's `created` flag (`__created`): a removed row is gone from the
 * model, so the snapshot is the only place that still knows whether this sync created its record,
 * which decides whether mirror may delete it (Loops).
 *
 * `snapshot` is the snapshot table, or {@link emptySnapshotSql} for a sync that never ran.
 */
export function renderDeltaSql(plan: DiffPlan, dialect: SqlDialect, snapshot: string): string {
  const rawKey = `m.${dialect.quoteIdentifier(plan.keyColumn)}`
  const key = dialect.toText(rawKey)
  const model = subquery(plan.modelSql, 'm')
  const conditions = ['s.row_key is null', 'c.__k is null', 'c.__h is distinct from s.row_hash']
  const scope = [plan.scope.changes ? '' : ' and s.row_key is null', plan.scope.removals ? '' : ' and c.__k is not null'].join('')
  // Duplicates are grouped on the key as the model types it (cheaper than on its text), then cast.
  return `with dup as (select ${dialect.toText('g.k')} as __k, g.n as __n from (${keyGroupsSql(plan, dialect)}) g where g.k is not null and g.n > 1),
cur as (select ${key} as __k, ${rowHashSql(plan, dialect)} as __h from ${model} where ${rawKey} is not null),
differs as (select case when s.row_key is null then 'added' when c.__k is null then 'removed' else 'changed' end as __op,
  coalesce(c.__k, s.row_key) as __key, c.__h as __h, s.created as __created
  from cur c full outer join ${snapshot} s on c.__k = s.row_key
  where (${conditions.join(' or ')})${scope})
select d.__op, d.__key, ${dialect.hashToText('d.__h')} as __hash, cast(null as bigint) as __count, d.__created
  from differs d left join dup on dup.__k = d.__key where dup.__k is null
union all select 'duplicate_key', __k, null, __n, null from dup
union all select 'null_key', null, null, count(*), null from ${model} where ${rawKey} is null having count(*) > 0`
}

/** The change set: the delta's rows, with the model's full rows for the added and changed keys. See {@link renderDeltaSql}. */
export function renderChangesSql(plan: DiffPlan, dialect: SqlDialect, delta: string): string {
  const q = (name: string) => dialect.quoteIdentifier(name)
  const rawKey = `m.${q(plan.keyColumn)}`
  const columns = plan.columns.map((c) => `, r.${q(c)}`).join('')
  const nullColumns = plan.columns.map((c) => `, null as ${q(c)}`).join('')
  return `select d.__op, d.__key, d.__hash, d.__count, d.__created${columns} from ${delta} d
  join (select ${dialect.toText(rawKey)} as __k${plan.columns.map((c) => `, m.${q(c)}`).join('')} from ${subquery(plan.modelSql, 'm')}
    where ${rawKey} is not null and ${dialect.toText(rawKey)} in (select __key from ${delta} where __op in ('added', 'changed'))) r
  on r.__k = d.__key
  where d.__op in ('added', 'changed')
union all select __op, __key, __hash, __count, __created${nullColumns} from ${delta} where __op not in ('added', 'changed')`
}

/**
 * The change set of a sync whose snapshot is empty (its first run, or a plan before it), in one
 * pass: every model row is added, so the delta's join against the snapshot, and the second read of
 * the model by key that {@link renderChangesSql} makes, would only find every row again. Keys that
 * occur more than once, and null keys, are rejected as there. Shaped like {@link renderChangesSql}'s
 * result: {@link renderAddedRowsSql}'s rows, then {@link renderKeyRejectionsSql}'s.
 */
export function renderAddedSql(plan: DiffPlan, dialect: SqlDialect): string {
  const nullColumns = plan.columns.map((c) => `, null as ${dialect.quoteIdentifier(c)}`).join('')
  return `${renderAddedRowsSql(plan, dialect)}
union all select __op, __key, __hash, __count, __created${nullColumns} from (${renderKeyRejectionsSql(plan, dialect)}) r`
}

/** The rows of a first sync's change set: every model row whose key is neither null nor shared. See {@link renderAddedSql}. */
export function renderAddedRowsSql(plan: DiffPlan, dialect: SqlDialect): string {
  const q = (name: string) => dialect.quoteIdentifier(name)
  const rawKey = `m.${q(plan.keyColumn)}`
  const t = dialect.types
  const columns = plan.columns.map((c) => `, m.${q(c)}`).join('')
  // Shared keys are found on the key as the model types it (cheaper than on its text).
  return `with dup as (select g.k as __k from (${keyGroupsSql(plan, dialect)}) g where g.k is not null and g.n > 1)
select 'added' as __op, ${dialect.toText(rawKey)} as __key, ${dialect.hashToText(rowHashSql(plan, dialect))} as __hash,
  cast(null as ${t.bigint}) as __count, cast(null as ${t.boolean}) as __created${columns}
  from ${subquery(plan.modelSql, 'm')} where ${rawKey} is not null and not exists (select 1 from dup where dup.__k = ${rawKey})`
}

/** A first sync's rejections: one row per shared key (`__count` rows share it), and one for every null key. */
export function renderKeyRejectionsSql(plan: DiffPlan, dialect: SqlDialect): string {
  const t = dialect.types
  return `select case when g.k is null then 'null_key' else 'duplicate_key' end as __op, ${dialect.toText('g.k')} as __key,
  cast(null as ${t.text}) as __hash, g.n as __count, cast(null as ${t.boolean}) as __created
  from (${keyGroupsSql(plan, dialect)}) g where g.k is null or g.n > 1`
}

/**
 * The counts of a first sync's change set without making it: keys held by one row (added), keys
 * held by several and the rows holding them, and rows with a null key. One grouping of the keys.
 */
export function renderAddedCountsSql(plan: DiffPlan, dialect: SqlDialect): string {
  return `select coalesce(sum(case when g.k is not null and g.n = 1 then 1 else 0 end), 0) as added,
  coalesce(sum(case when g.k is not null and g.n > 1 then 1 else 0 end), 0) as duplicate_keys,
  coalesce(sum(case when g.k is not null and g.n > 1 then g.n else 0 end), 0) as duplicate_rows,
  coalesce(sum(case when g.k is null then g.n else 0 end), 0) as null_rows
  from (${keyGroupsSql(plan, dialect)}) g`
}

/**
 * Every key of the model (`k`, as the model types it: cheaper to group than its text) with the
 * rows holding it (`n`). Null keys make one group of their own, so a single scan finds shared keys
 * and null keys alike.
 */
function keyGroupsSql(plan: DiffPlan, dialect: SqlDialect): string {
  const rawKey = `m.${dialect.quoteIdentifier(plan.keyColumn)}`
  return `select ${rawKey} as k, count(*) as n from ${subquery(plan.modelSql, 'm')} group by ${rawKey}`
}

/** A snapshot with no rows, shaped like a snapshot table, for a sync that never ran. */
export function emptySnapshotSql(dialect: SqlDialect): string {
  const t = dialect.types
  return `(select cast(null as ${t.text}) as row_key, cast(null as ${t.rowHash}) as row_hash, cast(null as ${t.boolean}) as created where 1 = 0)`
}

/**
 * One hashing scan of the model: the same hash the diff computes, over every row. The benchmark's
 * floor: the diff is measured against it.
 */
export function renderHashScanSql(plan: DiffPlan, dialect: SqlDialect): string {
  return `select count(*) as n, max(${dialect.hashToText(rowHashSql(plan, dialect))}) as h from ${subquery(plan.modelSql, 'm')}`
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
