import { ansiDialect } from '../ansi-dialect.js'
import type { SqlDialect } from '../sql-dialect.js'

/**
 * Snowflake's SQL. The row hash is `md5` as 32 hex characters, read and written as is by the
 * driver (a binary hash would cross as base64). Primary keys are not enforced, so "insert if
 * absent" is an explicit `not exists`; change sets are transient tables (no Fail-safe storage).
 */
export const snowflakeDialect: SqlDialect = {
  ...ansiDialect,
  name: 'snowflake',
  transactionalDdl: false,
  types: {
    text: 'varchar',
    bigint: 'number(38,0)',
    integer: 'integer',
    boolean: 'boolean',
    timestamp: 'timestamp_tz',
    rowHash: 'varchar(32)',
  },
  now: () => 'current_timestamp()',
  nowPlusMilliseconds: (ms) => `dateadd(millisecond, ${ms}, current_timestamp())`,
  hash: (expr) => `md5(${expr})`,
  hashToText: (expr) => expr,
  hashFromText: (expr) => expr,
  createTableAs: (table, select) => `create or replace transient table ${table} as ${select}`,
  insertIfAbsent: (table, keyColumns, columns, select) =>
    `insert into ${table} (${columns.join(', ')}) select ${columns.map((c) => `s.${c}`).join(', ')} from (${select}) s
      where not exists (select 1 from ${table} t where ${keyColumns.map((k) => `t.${k} = s.${k}`).join(' and ')})`,
}
