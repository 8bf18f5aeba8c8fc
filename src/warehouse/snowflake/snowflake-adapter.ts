import { OutflowError } from '../../errors.js'
import { normalizeRow } from '../normalize-value.js'
import { SerialQueue } from '../serial-queue.js'
import type {
  ColumnInfo,
  QueryResult,
  Row,
  Statement,
  WarehouseAdapter,
  WarehouseErrorKind,
  WarehouseExecutor,
} from '../warehouse-adapter.js'
import type { SnowflakeConfig } from './snowflake-config.js'
import { snowflakeDialect } from './snowflake-dialect.js'

/* The slice of snowflake-sdk this adapter uses; it is an optional peer dependency, loaded on first use. */
interface SfColumn {
  getName(): string
  getType(): string
}
interface SfStatement {
  getNumUpdatedRows(): number | undefined
  getColumns(): SfColumn[] | undefined
  streamRows(): AsyncIterable<Record<string, unknown>>
}
interface SfExecuteOptions {
  sqlText: string
  binds?: unknown[]
  streamResult?: boolean
  complete: (error: Error | undefined, statement: SfStatement, rows: Record<string, unknown>[] | undefined) => void
}
interface SfConnection {
  connect(callback: (error: Error | undefined) => void): void
  execute(options: SfExecuteOptions): void
  destroy(callback: (error: Error | undefined) => void): void
}
interface SfModule {
  configure(options: { logLevel: string }): void
  createConnection(options: Record<string, unknown>): SfConnection
}

/** Connects to Snowflake. Each transaction and each stream gets a session of its own, kept for reuse. */
export async function createSnowflakeAdapter(config: SnowflakeConfig): Promise<WarehouseAdapter> {
  const sdk = await loadSdk()
  sdk.configure({ logLevel: 'ERROR' })
  const options = connectionOptions(config)
  const open = async () => {
    const connection = sdk.createConnection(options)
    await new Promise<void>((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())))
    return connection
  }
  return new SnowflakeAdapter(open, await open())
}

async function loadSdk(): Promise<SfModule> {
  try {
    const module = (await import('snowflake-sdk')) as unknown as SfModule & { default?: SfModule }
    return module.default ?? module
  } catch (error) {
    throw new OutflowError('WAREHOUSE_DRIVER_MISSING', 'Snowflake sources need the `snowflake-sdk` package: npm install snowflake-sdk', {
      cause: error,
    })
  }
}

function connectionOptions(config: SnowflakeConfig): Record<string, unknown> {
  const auth =
    config.auth.type === 'password'
      ? { password: config.auth.secret }
      : {
          authenticator: 'SNOWFLAKE_JWT',
          privateKey: config.auth.secret,
          ...(config.auth.passphrase === undefined ? {} : { privateKeyPass: config.auth.passphrase }),
        }
  return {
    account: config.account,
    username: config.user,
    ...auth,
    warehouse: config.warehouse,
    database: config.database,
    schema: config.schema ?? 'PUBLIC',
    ...(config.role === undefined ? {} : { role: config.role }),
    ...(config.accessUrl === undefined ? {} : { accessUrl: config.accessUrl }),
  }
}

class SnowflakeAdapter implements WarehouseAdapter {
  readonly dialect = snowflakeDialect
  private readonly queue = new SerialQueue()
  private readonly idle: SfConnection[] = []

  constructor(
    private readonly open: () => Promise<SfConnection>,
    private readonly main: SfConnection,
  ) {}

  run(statement: Statement): Promise<QueryResult> {
    return this.queue.run(() => execute(this.main, statement))
  }

  async *stream(statement: Statement, batchSize: number): AsyncIterable<Row[]> {
    const connection = await this.borrow()
    try {
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
    } finally {
      this.idle.push(connection)
    }
  }

  async describe(sql: string): Promise<ColumnInfo[]> {
    const stmt = await this.queue.run(
      () =>
        new Promise<SfStatement>((resolve, reject) =>
          this.main.execute({ sqlText: `select * from (${sql}) limit 0`, complete: (error, s) => (error ? reject(error) : resolve(s)) }),
        ),
    )
    return (stmt.getColumns() ?? []).map((c) => ({ name: c.getName(), type: c.getType() }))
  }

  async transaction<T>(fn: (tx: WarehouseExecutor) => Promise<T>): Promise<T> {
    const connection = await this.borrow()
    try {
      await execute(connection, { sql: 'begin' })
      try {
        const result = await fn({ run: (statement) => execute(connection, statement) })
        await execute(connection, { sql: 'commit' })
        return result
      } catch (error) {
        await execute(connection, { sql: 'rollback' }).catch(() => undefined)
        throw error
      }
    } finally {
      this.idle.push(connection)
    }
  }

  classifyError(error: unknown): WarehouseErrorKind {
    const raw = (error as { code?: unknown }).code
    const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : ''
    // 000625: a concurrent statement changed the same rows. 390xxx: authentication and session
    // errors; 4xxxxx: the driver's network errors.
    if (code === '000625') return 'conflict'
    return code.startsWith('390') || code.startsWith('4') ? 'connection' : 'query'
  }

  async close(): Promise<void> {
    const all = [this.main, ...this.idle.splice(0)]
    await Promise.all(all.map((c) => new Promise<void>((resolve) => c.destroy(() => resolve()))))
  }

  private async borrow(): Promise<SfConnection> {
    return this.idle.pop() ?? (await this.open())
  }
}

function toExecute(statement: Statement): { sqlText: string; binds?: unknown[] } {
  return statement.params === undefined || statement.params.length === 0
    ? { sqlText: statement.sql }
    : { sqlText: statement.sql, binds: [...statement.params] }
}

function execute(connection: SfConnection, statement: Statement): Promise<QueryResult> {
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
