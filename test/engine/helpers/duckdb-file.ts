import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'

/** A row as JSON: numbers beyond 53 bits, decimals and timestamps come back as strings. */
export type JsonRow = Record<string, unknown>

/**
 * A DuckDB file opened by this process for a moment, and closed for real. DuckDB lets one process
 * at a time open a file, and the warehouse adapter keeps its database in DuckDB's instance cache
 * for the life of the process (closing it only disconnects): a test that hands the file to a CLI
 * process, and takes it back between runs, opens it here instead.
 */
export class DuckdbFile {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckdbFile> {
    const instance = await DuckDBInstance.create(path)
    return new DuckdbFile(instance, await instance.connect())
  }

  async sql(sql: string): Promise<JsonRow[]> {
    const reader = await this.connection.runAndReadAll(sql)
    return reader.getRowObjectsJson()
  }

  /** Disconnects and closes the database: the file's lock is released when this returns. */
  close(): void {
    this.connection.disconnectSync()
    this.instance.closeSync()
  }
}

/** Opens the file, runs `fn` and closes the file again, whatever `fn` does. */
export async function withDuckdbFile<T>(path: string, fn: (db: DuckdbFile) => Promise<T>): Promise<T> {
  const db = await DuckdbFile.open(path)
  try {
    return await fn(db)
  } finally {
    db.close()
  }
}
