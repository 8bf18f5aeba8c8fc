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
  // Unlogged: the change set is scratch data, rebuilt by every run, so WAL writes would be waste.
  createTableAs: (table, select) => `drop table if exists ${table}; create unlogged table ${table} as ${select}`,
  rowsFromArrays: (columns) =>
    `select * from unnest(${columns.map((c) => `cast(? as ${c.type}[])`).join(', ')}) as arrays(${columns.map((c) => c.name).join(', ')})`,
}
