import { ansiDialect } from '../ansi-dialect.js'
import type { SqlDialect } from '../sql-dialect.js'

/**
 * Snowflake's SQL. The row hash is `md5_binary` (16 bytes). Primary keys are not enforced, so
 * "insert if absent" is an explicit `not exists`; change sets are transient tables (no Fail-safe).
 */
export const snowflakeDialect: SqlDialect = {
  ...ansiDialect,
  name: 'snowflake',
  types: {
    text: 'varchar',
    bigint: 'number(38,0)',
    integer: 'integer',
    boolean: 'boolean',
    timestamp: 'timestamp_tz',
    rowHash: 'binary(16)',
  },
  now: () => 'current_timestamp()',
  nowPlusMilliseconds: (ms) => `dateadd(millisecond, ${ms}, current_timestamp())`,
  hash: (expr) => `md5_binary(${expr})`,
  hashToText: (expr) => `hex_encode(${expr})`,
  hashFromText: (expr) => `hex_decode_binary(${expr})`,
  createTableAs: (table, select) => `create or replace transient table ${table} as ${select}`,
  insertIfAbsent: (table, keyColumns, columns, select) =>
    `insert into ${table} (${columns.join(', ')}) select ${columns.map((c) => `s.${c}`).join(', ')} from (${select}) s
      where not exists (select 1 from ${table} t where ${keyColumns.map((k) => `t.${k} = s.${k}`).join(' and ')})`,
}
