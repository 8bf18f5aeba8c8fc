import { normalizeRow } from '../normalize-value.js'
import { numberedPlaceholders } from '../sql-literal.js'
import type { QueryResult, Statement } from '../warehouse-adapter.js'
import type { PgQueryable, PgResult } from './postgres-client.js'

/** Runs a statement on a pool or a client, binding its parameters as `$1`, `$2`, …. */
export async function runOn(target: PgQueryable, statement: Statement): Promise<QueryResult> {
  const values = bindValues(statement)
  const result = await target.query(values === undefined ? statement.sql : numberedPlaceholders(statement.sql), values)
  // A multi-statement string (no parameters) returns one result per statement.
  const last = Array.isArray(result) ? (result as PgResult[]).at(-1) : result
  return { rows: (last?.rows ?? []).map(normalizeRow), rowsAffected: last?.rowCount ?? 0 }
}

/** The statement's SQL as PostgreSQL takes it, and its parameters (undefined when it has none). */
export function bindStatement(statement: Statement): { sql: string; values: unknown[] | undefined } {
  const values = bindValues(statement)
  return { sql: values === undefined ? statement.sql : numberedPlaceholders(statement.sql), values }
}

function bindValues(statement: Statement): unknown[] | undefined {
  return statement.params === undefined || statement.params.length === 0 ? undefined : [...statement.params]
}
