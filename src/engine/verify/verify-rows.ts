import type { DiffPlan } from '../../warehouse/diff/diff-plan.js'
import { numberField, textField } from '../../warehouse/row-field.js'
import { subquery } from '../../warehouse/subquery.js'
import type { WarehouseReader } from '../../warehouse/warehouse-adapter.js'
import type { SyncedRow } from './assess-record.js'

/**
 * What the verification reads from the warehouse, once `computePlanDiff` has computed the sync's
 * change set in a read-only session: the change set says which keys are pending.
 */
export interface VerifyRowsSource {
  reader: WarehouseReader
  /** The sync's snapshot and tombstone tables, and the table holding its change set (a scratch table of the session). */
  tables: VerifyTables
  /** The diff's plan: the model query and its resolved key and mapped columns. */
  plan: DiffPlan
  /** Keys to draw at random; every key when undefined. */
  sample: number | undefined
}

/** Tables a verification joins. */
export interface VerifyTables {
  snapshot: string
  changes: string
  tombstones: string
}

/** A key a mirror removed, and when. */
export interface RemovedKey {
  key: string
  removedAt: string
}

/** Change kinds that make a synced key pending: its row changed, a mirror removes it, or its key is now duplicated. */
const PENDING_OPS = `('changed', 'removed', 'duplicate_key')`

/**
 * Streams the synced keys that are not pending (the snapshot has them with a row hash, and the
 * change set does not list them), each with its model row's values when the model still has the
 * key. One statement: the model is scanned once, however many keys are read.
 */
export async function* streamSyncedRows(source: VerifyRowsSource, batchSize: number): AsyncIterable<SyncedRow[]> {
  const { reader, plan, tables } = source
  const q = (name: string) => reader.dialect.quoteIdentifier(name)
  const rawKey = `m.${q(plan.keyColumn)}`
  const columns = plan.columns.map((c) => `, m.${q(c)}`).join('')
  const sql = `select s.row_key as __key, m.__k as __model_key${columns} from ${tables.snapshot} s
    left join ${tables.changes} c on c.__key = s.row_key and c.__op in ${PENDING_OPS}
    left join (select ${reader.dialect.toText(rawKey)} as __k${columns} from ${subquery(plan.modelSql, 'm')} where ${rawKey} is not null) m
      on m.__k = s.row_key
    where s.row_hash is not null and c.__key is null${sampleClause(source.sample)}`
  for await (const rows of reader.stream({ sql }, batchSize)) {
    yield rows.map((row) => ({
      key: textField(row, '__key') ?? '',
      values: textField(row, '__model_key') === undefined ? undefined : Object.fromEntries(plan.columns.map((c) => [c, row[c] ?? null])),
    }))
  }
}

/** Counts the synced keys that are pending: the next run sends (or removes) them. */
export async function countPending(source: VerifyRowsSource): Promise<number> {
  const { tables } = source
  const { rows } = await source.reader.run({
    sql: `select count(*) as n from ${tables.snapshot} s join ${tables.changes} c on c.__key = s.row_key and c.__op in ${PENDING_OPS}
      where s.row_hash is not null`,
  })
  return rows[0] === undefined ? 0 : numberField(rows[0], 'n')
}

/**
 * Streams the keys a mirror removed, except those back in the model (the next run writes them
 * again). `createdOnly`: only keys the sync had created, for vendors whose mirror removes only those.
 */
export async function* streamRemovedKeys(source: VerifyRowsSource, createdOnly: boolean, batchSize: number): AsyncIterable<RemovedKey[]> {
  const { tables } = source
  const sql = `select d.row_key as __key, d.deleted_at as __removed_at from ${tables.tombstones} d
    left join ${tables.changes} c on c.__key = d.row_key and c.__op in ('added', 'duplicate_key')
    where c.__key is null${createdOnly ? ' and d.created = true' : ''}${sampleClause(source.sample)}`
  for await (const rows of source.reader.stream({ sql }, batchSize)) {
    yield rows.map((row) => ({ key: textField(row, '__key') ?? '', removedAt: textField(row, '__removed_at') ?? '' }))
  }
}

/** `random()` orders rows at random in DuckDB, PostgreSQL and Snowflake alike. */
function sampleClause(sample: number | undefined): string {
  return sample === undefined ? '' : ` order by random() limit ${Math.trunc(sample)}`
}
