import type { WarehouseReader } from './warehouse-adapter.js'

/**
 * One warehouse session that reads, for `outflow plan`, `run --dry-run` and `verify`: it may keep
 * scratch tables of its own, which vanish when the session ends, and it writes nothing else.
 * Read-only credentials are enough (plus, where the engine needs it, the right to make temporary
 * tables). How each engine keeps it so:
 *
 * - PostgreSQL: one connection and one transaction, always rolled back, so nothing run in it
 *   persists; scratch tables are temporary tables.
 * - DuckDB: scratch tables live in an in-memory database attached for the session; a read-only
 *   pool opens the file read-only, so the engine refuses any write to it.
 * - Snowflake: one connection; scratch tables are temporary tables in the session's schema,
 *   dropped with the session.
 */
export interface ReadOnlySession extends WarehouseReader {
  /**
   * Creates a scratch table, `name`, holding the rows of `select` (replacing one made earlier in
   * this session), and resolves to the reference to use in SQL. The table is this session's own
   * and is gone when the session ends.
   */
  createScratchTable(name: string, select: string): Promise<string>
}
