import type { ReadOnlySession } from './read-only-session.js'
import type { SqlDialect } from './sql-dialect.js'

/** A value read from a warehouse, normalized across engines. */
export type WarehouseValue = string | number | boolean | null | Date | WarehouseValue[] | { [key: string]: WarehouseValue }

/** One result row, by column name as the warehouse reports it. */
export type Row = Record<string, WarehouseValue>

/** A statement with `?` placeholders and their values (the adapter renders its own placeholder style). */
export interface Statement {
  sql: string
  params?: readonly unknown[]
}

/** What a statement returned: its rows (empty for DDL and most DML) and how many rows it changed. */
export interface QueryResult {
  rows: Row[]
  rowsAffected: number
}

/** A result column, as the warehouse names and types it. */
export interface ColumnInfo {
  name: string
  /** The engine's own type name (`VARCHAR`, `int8`, `NUMBER`). */
  type: string
}

/** Runs statements; what a transaction hands its callback. */
export interface WarehouseExecutor {
  run(statement: Statement): Promise<QueryResult>
}

/** What reading a warehouse takes: statements, cursors and query descriptions. */
export interface WarehouseReader extends WarehouseExecutor {
  readonly dialect: SqlDialect
  /**
   * Streams the rows of a query in batches of about `batchSize` through a server-side cursor, so
   * memory stays flat however large the result is.
   */
  stream(statement: Statement, batchSize: number): AsyncIterable<Row[]>
  /**
   * The columns `query` returns, found without reading its rows. `query` must be exactly one
   * statement, and the engine itself makes sure of it before anything runs (PostgreSQL's
   * extended protocol, DuckDB's statement extraction, Snowflake's `MULTI_STATEMENT_COUNT`):
   * anything else is refused with `MODEL_INVALID`. Queries built around a model embed it as this
   * one does (see `subquery`), so a model that passed here cannot smuggle in a second statement.
   */
  describe(query: string): Promise<ColumnInfo[]>
}

/**
 * What every warehouse engine provides; the state store, the diff and the runner use only this.
 * Implementations live in one folder per engine (`duckdb/`, `postgres/`, `snowflake/`).
 */
export interface WarehouseAdapter extends WarehouseReader {
  /** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: WarehouseExecutor) => Promise<T>): Promise<T>
  /**
   * Runs `fn` in a session that reads and keeps scratch tables of its own (see
   * {@link ReadOnlySession}), ended when `fn` settles. What a plan runs in.
   */
  readOnlySession<T>(fn: (session: ReadOnlySession) => Promise<T>): Promise<T>
  /** Closes every connection. Idempotent. */
  close(): Promise<void>
  /**
   * What kind of failure a driver error is: `conflict` (a concurrent transaction won; retrying may
   * succeed), `connection` (the server could not be reached or authenticated) or `query`.
   */
  classifyError?(error: unknown): WarehouseErrorKind
}

/** See {@link WarehouseAdapter.classifyError}. */
export type WarehouseErrorKind = 'conflict' | 'connection' | 'query'
