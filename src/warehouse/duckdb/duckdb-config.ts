/** How to open an embedded DuckDB database. */
export interface DuckdbConfig {
  /** Database file, or `:memory:`. */
  path: string
  /**
   * DuckDB `memory_limit`; above it DuckDB spills to disk, which keeps memory flat on large models.
   * @default '1GB'
   */
  memoryLimit?: string
  /** Worker threads; DuckDB's default (one per core) when omitted. */
  threads?: number
  /**
   * Open a database file read-only, so that DuckDB refuses any write to it (plans and
   * verifications). Ignored for `:memory:`, which cannot be read-only, and for a file this
   * process already has open read-write, which is shared as it is.
   * @default false
   */
  readOnly?: boolean
}
