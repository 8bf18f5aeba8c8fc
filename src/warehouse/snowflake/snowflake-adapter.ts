import { OutflowError } from '../../errors.js'
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
import type { ReadOnlySession } from '../read-only-session.js'
import type { SnowflakeConfig } from './snowflake-config.js'
import { columnsOf, execute, streamOn, type SfConnection } from './snowflake-connection.js'
import { describeSnowflakeQuery } from './snowflake-describe.js'
import { snowflakeDialect } from './snowflake-dialect.js'
import { runSnowflakeReadOnlySession } from './snowflake-read-only-session.js'

/* The snowflake-sdk module, as far as this adapter uses it (see `snowflake-connection.ts`). */
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
      yield* streamOn(connection, statement, batchSize)
    } finally {
      this.idle.push(connection)
    }
  }

  describe(query: string): Promise<ColumnInfo[]> {
    return describeSnowflakeQuery((sql, parameters) => this.queue.run(() => columnsOf(this.main, sql, parameters)), query)
  }

  readOnlySession<T>(fn: (session: ReadOnlySession) => Promise<T>): Promise<T> {
    return runSnowflakeReadOnlySession(this.open, fn)
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
