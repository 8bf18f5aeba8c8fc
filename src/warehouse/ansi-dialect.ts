import type { SqlDialect } from './sql-dialect.js'

/**
 * Defaults shared by the engines (standard SQL); each dialect overrides what differs, so a new
 * capability gets a default here instead of breaking every engine.
 */
export const ansiDialect = {
  transactionalDdl: true,
  quoteIdentifier: (name: string) => `"${name.replaceAll('"', '""')}"`,
  stateTable: (schema: string, table: string) => `${schema}.${table}`,
  now: () => 'current_timestamp',
  toText: (expr: string) => `cast(${expr} as varchar)`,
  tablesInSchemaSql: () => 'select lower(table_name) as table_name from information_schema.tables where lower(table_schema) = lower(?)',
  createTableAs: (table: string, select: string) => `create or replace table ${table} as ${select}`,
  insertIfAbsent: (table: string, keyColumns: readonly string[], columns: readonly string[], select: string) =>
    `insert into ${table} (${columns.join(', ')}) ${select} on conflict (${keyColumns.join(', ')}) do nothing`,
} satisfies Partial<SqlDialect>
