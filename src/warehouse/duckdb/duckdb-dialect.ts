import { ansiDialect } from '../ansi-dialect.js'
import type { SqlDialect } from '../sql-dialect.js'

/** DuckDB's SQL. The row hash is `md5_number` (128 bits as UHUGEINT): stable, compact, fast to join. */
export const duckdbDialect: SqlDialect = {
  ...ansiDialect,
  name: 'duckdb',
  types: { text: 'varchar', bigint: 'bigint', integer: 'integer', boolean: 'boolean', timestamp: 'timestamptz', rowHash: 'uhugeint' },
  nowPlusMilliseconds: (ms) => `current_timestamp + to_milliseconds(cast(${ms} as bigint))`,
  hash: (expr) => `md5_number(${expr})`,
  // No cast: DuckDB's uhugeint-to-varchar cast is very slow (over a minute per million rows); the
  // driver returns the value as a bigint, which becomes exact text in Node.
  hashToText: (expr) => expr,
  hashFromText: (expr) => `cast(${expr} as uhugeint)`,
  // The adapter binds each array as JSON text (see duckdb-adapter.ts), which the engine parses.
  rowsFromArrays: (columns) => `select ${columns.map((c) => `unnest(cast(cast(? as json) as ${c.type}[])) as ${c.name}`).join(', ')}`,
}
