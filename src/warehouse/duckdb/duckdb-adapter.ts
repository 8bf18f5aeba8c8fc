import { OutflowError } from '../../errors.js'
import { normalizeRow } from '../normalize-value.js'
import { rebatch } from '../rebatch.js'
import { SerialQueue } from '../serial-queue.js'
import { numberedPlaceholders } from '../sql-literal.js'
import type {
  ColumnInfo,
  QueryResult,
  Row,
  Statement,
  WarehouseAdapter,
  WarehouseErrorKind,
  WarehouseExecutor,
} from '../warehouse-adapter.js'
import type { ReadOnlySession } from '../read-only-session.js'
import type { DuckdbConfig } from './duckdb-config.js'
import { describeDuckdbQuery } from './duckdb-describe.js'
import { chunkRows, type DuckdbChunkedResult, type DuckdbToJs } from './duckdb-chunk-rows.js'
import { duckdbDialect } from './duckdb-dialect.js'
import { duckdbOpenError } from './duckdb-file-in-use.js'
import { openCachedInstance } from './duckdb-open-instance.js'
import { runDuckdbReadOnlySession } from './duckdb-read-only-session.js'

/* The slice of @duckdb/node-api this adapter uses, so the rest of Outflow never depends on it. */
type DuckdbParam = string | number | boolean | null | bigint
interface DuckdbResult {
  readonly rowsChanged: number
  getRowObjectsJS(): Promise<Record<string, unknown>[]>
}
interface DuckdbPrepared {
  readonly columnCount: number
  columnName(index: number): string
  columnType(index: number): { toString(): string }
}
interface DuckdbConnection {
  run(sql: string, values?: DuckdbParam[]): Promise<DuckdbResult>
  stream(sql: string, values?: DuckdbParam[]): Promise<DuckdbChunkedResult>
  prepare(sql: string): Promise<DuckdbPrepared>
  extractStatements(sql: string): Promise<{ readonly count: number }>
  disconnectSync(): void
}
interface DuckdbInstance {
  connect(): Promise<DuckdbConnection>
  closeSync(): void
}
interface DuckdbModule {
  DuckDBInstance: { fromCache(path?: string, options?: Record<string, string>): Promise<DuckdbInstance> }
  JSDuckDBValueConverter: DuckdbToJs
}

/** Opens an embedded DuckDB database (a file, or `:memory:`). */
export async function createDuckdbAdapter(config: DuckdbConfig): Promise<WarehouseAdapter> {
  const { DuckDBInstance, JSDuckDBValueConverter } = (await import('@duckdb/node-api')) as unknown as DuckdbModule
  const options: Record<string, string> = {
    memory_limit: config.memoryLimit ?? '1GB',
    // Outflow never relies on the order rows were inserted in; keeping it makes DuckDB buffer large
    // results in memory instead of spilling them, and run out of memory under a tight limit.
    preserve_insertion_order: 'false',
    // A run's accepted rows are a log merged into the snapshot when it ends: with room for a run of
    // a million rows in the write-ahead log (the default is 16MB), the log is emptied before any
    // checkpoint, so its rows are never written to the database file a second time.
    checkpoint_threshold: '256MB',
  }
  if (config.threads !== undefined) options['threads'] = String(config.threads)
  // The instance cache lets several adapters in one process share a database file: DuckDB allows
  // one process to open a file for writing, and runners racing in tests are in one process.
  const instance = await openCachedInstance(DuckDBInstance, config, options).catch((error: unknown) => {
    throw duckdbOpenError(error, config.path)
  })
  return new DuckdbAdapter(instance, await instance.connect(), JSDuckDBValueConverter)
}

class DuckdbAdapter implements WarehouseAdapter {
  readonly dialect = duckdbDialect
  private readonly queue = new SerialQueue()
  private closed = false

  constructor(
    private readonly instance: DuckdbInstance,
    private readonly connection: DuckdbConnection,
    private readonly toJs: DuckdbToJs,
  ) {}

  run(statement: Statement): Promise<QueryResult> {
    return this.queue.run(() => runOn(this.connection, statement))
  }

  async *stream(statement: Statement, batchSize: number): AsyncIterable<Row[]> {
    // A connection of its own: the runner writes state on the shared one while it reads changes.
    const connection = await this.instance.connect()
    try {
      const result = await connection.stream(...bind(statement))
      yield* rebatch(chunkRows(result, this.toJs), batchSize)
    } finally {
      connection.disconnectSync()
    }
  }

  describe(query: string): Promise<ColumnInfo[]> {
    return this.queue.run(() => describeDuckdbQuery(this.connection, query))
  }

  readOnlySession<T>(fn: (session: ReadOnlySession) => Promise<T>): Promise<T> {
    return runDuckdbReadOnlySession(this, fn)
  }

  async transaction<T>(fn: (tx: WarehouseExecutor) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect()
    try {
      await connection.run('begin transaction')
      try {
        const result = await fn({ run: (statement) => runOn(connection, statement) })
        await connection.run('commit')
        return result
      } catch (error) {
        await connection.run('rollback').catch(() => undefined)
        throw error
      }
    } finally {
      connection.disconnectSync()
    }
  }

  classifyError(error: unknown): WarehouseErrorKind {
    // DuckDB's optimistic concurrency reports a write-write conflict as a TransactionContext error.
    return error instanceof Error && /conflict/i.test(error.message) ? 'conflict' : 'query'
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true
      this.connection.disconnectSync()
      // Each adapter holds its own handle on the cached database; when the last one closes, DuckDB
      // releases the file, so another process (a runner, the Pulumi provider) can open it.
      this.instance.closeSync()
    }
    return Promise.resolve()
  }
}

async function runOn(connection: DuckdbConnection, statement: Statement): Promise<QueryResult> {
  const result = await connection.run(...bind(statement))
  const rows = (await result.getRowObjectsJS()).map(normalizeRow)
  return { rows, rowsAffected: result.rowsChanged }
}

function bind(statement: Statement): [string, DuckdbParam[]?] {
  if (statement.params === undefined || statement.params.length === 0) return [statement.sql]
  return [numberedPlaceholders(statement.sql), statement.params.map(toParam)]
}

function toParam(value: unknown): DuckdbParam {
  if (value === null || value === undefined) return null
  // An array is bound as one JSON text, which SQL casts to a typed list (see the dialect's
  // `rowsFromArrays`): binding a LIST builds a driver value per item, many times slower.
  if (Array.isArray(value)) return JSON.stringify(value.some((item) => typeof item === 'bigint') ? value.map(String) : value)
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value
  throw new OutflowError('INTERNAL', `cannot bind a ${typeof value} parameter`)
}
