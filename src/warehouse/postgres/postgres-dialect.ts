import { ansiDialect } from '../ansi-dialect.js'
import type { SqlDialect } from '../sql-dialect.js'

/** PostgreSQL's SQL. The row hash is `md5` stored as `uuid`: 16 bytes, stable, compared as a fixed-size value. */
export const postgresDialect: SqlDialect = {
  ...ansiDialect,
  name: 'postgres',
  types: { text: 'text', bigint: 'bigint', integer: 'integer', boolean: 'boolean', timestamp: 'timestamptz', rowHash: 'uuid' },
  nowPlusMilliseconds: (ms) => `current_timestamp + cast(${ms} as bigint) * interval '1 millisecond'`,
  hash: (expr) => `cast(md5(${expr}) as uuid)`,
  hashToText: (expr) => `cast(${expr} as text)`,
  hashFromText: (expr) => `cast(${expr} as uuid)`,
  // The catalog, not information_schema, which hides tables the role holds no privilege on.
  tablesInSchemaSql: () =>
    `select lower(c.relname) as table_name from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where lower(n.nspname) = lower(?) and c.relkind in ('r', 'p')`,
  // Unlogged: the change set is scratch data, rebuilt by every run, so WAL writes would be waste.
  createTableAs: (table, select) => `drop table if exists ${table}; create unlogged table ${table} as ${select}`,
  // A heap table has no block ranges: without an index every lookup scans it.
  createIndex: (table, column) => `create index on ${table} (${column})`,
  rowsFromArrays: (columns) =>
    `select * from unnest(${columns.map((c) => `cast(? as ${c.type}[])`).join(', ')}) as arrays(${columns.map((c) => c.name).join(', ')})`,
}
