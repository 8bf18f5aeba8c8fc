import { OutflowError } from '../../errors.js'
import { subquery } from '../subquery.js'
import type { ColumnInfo } from '../warehouse-adapter.js'

/* The slice of a @duckdb/node-api connection that describing a query uses. */
interface DuckdbPreparedColumns {
  readonly columnCount: number
  columnName(index: number): string
  columnType(index: number): { toString(): string }
}
interface DuckdbDescribingConnection {
  extractStatements(sql: string): Promise<{ readonly count: number }>
  prepare(sql: string): Promise<DuckdbPreparedColumns>
}

/**
 * The columns of a query, which DuckDB's own parser must find to be exactly one statement
 * (`extractStatements`), checked before the query is prepared: nothing runs. Preparing never
 * executes, and DuckDB refuses to prepare several statements at once besides.
 */
export async function describeDuckdbQuery(connection: DuckdbDescribingConnection, query: string): Promise<ColumnInfo[]> {
  const count = await countStatements(connection, query)
  if (count !== 1) {
    throw new OutflowError('MODEL_INVALID', `the query must be exactly one SQL statement; DuckDB's parser found ${count}`)
  }
  const prepared = await connection.prepare(`select * from ${subquery(query, 'described')}`)
  return Array.from({ length: prepared.columnCount }, (_, i) => ({
    name: prepared.columnName(i),
    type: prepared.columnType(i).toString(),
  }))
}

async function countStatements(connection: DuckdbDescribingConnection, query: string): Promise<number> {
  try {
    return (await connection.extractStatements(query)).count
  } catch (error) {
    // The parser could not read it (text without any statement fails here too).
    const detail = error instanceof Error ? error.message : String(error)
    throw new OutflowError('MODEL_INVALID', `the query is not one SQL statement DuckDB can read: ${detail}`, { cause: error })
  }
}
