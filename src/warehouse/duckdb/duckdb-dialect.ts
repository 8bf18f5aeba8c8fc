import { ansiDialect } from '../ansi-dialect.js'
import type { SqlDialect } from '../sql-dialect.js'

/** DuckDB's SQL. The row hash is `md5_number` (128 bits as UHUGEINT): stable, compact, fast to join. */
export const duckdbDialect: SqlDialect = {
  ...ansiDialect,
  name: 'duckdb',
  types: { text: 'varchar', bigint: 'bigint', integer: 'integer', boolean: 'boolean', timestamp: 'timestamptz', rowHash: 'uhugeint' },
  nowPlusMilliseconds: (ms) => `current_timestamp + to_milliseconds(cast(${ms} as bigint))`,
  hash: (expr) => `md5_number(${expr})`,
  hashToText: (expr) => `cast(${expr} as varchar)`,
  hashFromText: (expr) => `cast(${expr} as uhugeint)`,
}
