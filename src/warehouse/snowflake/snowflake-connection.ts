import { normalizeRow } from '../normalize-value.js'
import type { ColumnInfo, QueryResult, Row, Statement } from '../warehouse-adapter.js'

/*
 * The slice of snowflake-sdk the Snowflake adapter uses, and running statements on one of its
 * connections. snowflake-sdk is an optional peer dependency, loaded on first use.
 */
/** A result column. */
export interface SfColumn {
  getName(): string
  getType(): string
}
/** A statement the driver ran: its columns, rows changed, and rows as a stream. */
export interface SfStatement {
  getNumUpdatedRows(): number | undefined
  getColumns(): SfColumn[] | undefined
  streamRows(): AsyncIterable<Record<string, unknown>>
}
/** What `execute` takes. */
export interface SfExecuteOptions {
  sqlText: string
  binds?: unknown[]
  /** Session parameters for this request only. */
  parameters?: Record<string, unknown>
  streamResult?: boolean
  complete: (error: Error | undefined, statement: SfStatement, rows: Record<string, unknown>[] | undefined) => void
}
/** A connection: one Snowflake session. */
export interface SfConnection {
  connect(callback: (error: Error | undefined) => void): void
  execute(options: SfExecuteOptions): void
  destroy(callback: (error: Error | undefined) => void): void
}

function toExecute(statement: Statement): { sqlText: string; binds?: unknown[] } {
  return statement.params === undefined || statement.params.length === 0
    ? { sqlText: statement.sql }
    : { sqlText: statement.sql, binds: [...statement.params] }
}

/** Streams a query's rows in batches of about `batchSize`, as the driver fetches them. */
export async function* streamOn(connection: SfConnection, statement: Statement, batchSize: number): AsyncIterable<Row[]> {
  const stmt = await new Promise<SfStatement>((resolve, reject) =>
    connection.execute({ ...toExecute(statement), streamResult: true, complete: (error, s) => (error ? reject(error) : resolve(s)) }),
  )
  let batch: Row[] = []
  for await (const row of stmt.streamRows()) {
    batch.push(normalizeRow(row))
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

/** The result columns of a statement, run with request parameters (a `limit 0` query reads no row). */
export async function columnsOf(connection: SfConnection, sqlText: string, parameters: Record<string, unknown>): Promise<ColumnInfo[]> {
  const stmt = await new Promise<SfStatement>((resolve, reject) =>
    connection.execute({ sqlText, parameters, complete: (error, s) => (error ? reject(error) : resolve(s)) }),
  )
  return (stmt.getColumns() ?? []).map((c) => ({ name: c.getName(), type: c.getType() }))
}

/** Runs a statement and reads its whole result. */
export function execute(connection: SfConnection, statement: Statement): Promise<QueryResult> {
  return new Promise((resolve, reject) =>
    connection.execute({
      ...toExecute(statement),
      complete: (error, stmt, rows) => {
        if (error) reject(error)
        else resolve({ rows: (rows ?? []).map(normalizeRow), rowsAffected: stmt.getNumUpdatedRows() ?? 0 })
      },
    }),
  )
}
