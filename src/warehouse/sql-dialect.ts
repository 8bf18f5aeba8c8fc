/**
 * The SQL differences between engines, as small functions. The state store and the diff write
 * their SQL once through these; nothing outside an engine's folder checks which engine it is.
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'postgres' | 'snowflake'
  /**
   * Whether DDL takes part in transactions. Snowflake commits the open transaction before any DDL
   * statement, so migrations there rely on idempotent statements instead.
   */
  readonly transactionalDdl: boolean
  /** Quotes an identifier exactly as given (case-sensitive). */
  quoteIdentifier(name: string): string
  /** A reference to an Outflow state table: unquoted, so each engine folds its case consistently. */
  stateTable(schema: string, table: string): string
  /** Column types for state tables. */
  readonly types: { text: string; bigint: string; integer: string; boolean: string; timestamp: string; rowHash: string }
  /** The current time, as a value of `types.timestamp`. */
  now(): string
  /** `now()` plus a number of milliseconds given by the SQL expression `ms`. */
  nowPlusMilliseconds(ms: string): string
  /** An expression casting `expr` to text. */
  toText(expr: string): string
  /**
   * A stable 128-bit hash of the text `expr` (the row hash), of type `types.rowHash`. It must not
   * change across versions of the engine: a changed hash re-sends every row.
   */
  hash(expr: string): string
  /**
   * The row hash as a value the driver returns as text, or as a number that becomes exact text in
   * Node (for reading it), and the text back as a row hash (for writing it to the snapshot).
   */
  hashToText(expr: string): string
  hashFromText(expr: string): string
  /**
   * A query of the tables in the schema named by its one `?` parameter, as lower-case
   * `table_name`s. Where the engine allows, it lists tables the session may not read as well, so
   * that a missing grant fails loudly rather than reading as a state store never created.
   */
  tablesInSchemaSql(): string
  /** `CREATE TABLE ... AS <select>` for a scratch table that replaces any previous one. */
  createTableAs(table: string, select: string): string
  /** `INSERT INTO table (columns) <select>` skipping rows whose `keyColumns` already exist. */
  insertIfAbsent(table: string, keyColumns: readonly string[], columns: readonly string[], select: string): string
  /**
   * A `SELECT` of rows from one bound array per column (`?` each, in order), for bulk inserts: one
   * statement and a handful of parameters for thousands of rows, where `VALUES` lists would bind
   * one parameter per cell. Undefined where the driver cannot bind arrays (Snowflake).
   */
  rowsFromArrays?(columns: readonly { name: string; type: string }[]): string
  /**
   * An index on `column` of a table written in that column's order, for lookups by its value.
   * Undefined where the engine finds such rows by its blocks' value ranges anyway (DuckDB, Snowflake).
   */
  createIndex?(table: string, column: string): string
}
