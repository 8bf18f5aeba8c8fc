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
}
