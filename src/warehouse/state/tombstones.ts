import type { SqlDialect } from '../sql-dialect.js'

/*
 * A sync's tombstones: the keys its mirror removed at the destination, which the snapshot no
 * longer holds, kept so that `outflow verify` can check that the records are really gone. Written
 * by the same merge that drops the keys from the snapshot; a key upserted again loses its tombstone.
 */

/** The tombstone table of a sync, named like its snapshot (`deleted__<sync>`). */
export function tombstoneTable(dialect: SqlDialect, schema: string, sync: string): string {
  return dialect.stateTable(schema, tombstoneTableName(sync))
}

/** The unqualified, lower-case name of a sync's tombstone table, as a catalog lists it. */
export function tombstoneTableName(sync: string): string {
  return `deleted__${sync.replaceAll('-', '_')}`
}

/** `create table if not exists` for a sync's tombstones: the key, when and by which run, and whether the sync had created it. */
export function createTombstoneTableSql(dialect: SqlDialect, table: string): string {
  const t = dialect.types
  return `create table if not exists ${table} (row_key ${t.text} not null, deleted_at ${t.timestamp} not null, run_id ${t.text}, created ${t.boolean})`
}

/**
 * The statements that bring the tombstones in step with a pending log about to be merged (latest
 * record per key already kept). Run before the snapshot loses the removed keys: a tombstone is only
 * written for a key the snapshot holds as accepted (a row hash), so a `send` sync withdrawing an
 * event intent leaves none. Every key in the log loses its old tombstone first: an upsert clears it,
 * a repeated removal records the latest one.
 */
export function tombstoneMergeStatements(tombstones: string, snapshot: string, pending: string): string[] {
  return [
    `delete from ${tombstones} where row_key in (select row_key from ${pending})`,
    `insert into ${tombstones} (row_key, deleted_at, run_id, created) select p.row_key, p.synced_at, p.run_id, s.created
      from ${pending} p join ${snapshot} s on s.row_key = p.row_key where p.op = 'delete' and s.row_hash is not null`,
  ]
}
