import { OutflowError } from '../../errors.js'
import type { ReadOnlySession } from '../read-only-session.js'
import type {
  ColumnInfo,
  QueryResult,
  Row,
  Statement,
  WarehouseAdapter,
  WarehouseErrorKind,
  WarehouseExecutor,
} from '../warehouse-adapter.js'
import type { PgModule, PgPool } from './postgres-client.js'
import type { PostgresConfig } from './postgres-config.js'
import { streamCursor } from './postgres-cursor.js'
import { describePostgresQuery } from './postgres-describe.js'
import { postgresDialect } from './postgres-dialect.js'
import { runOn } from './postgres-query.js'
import { runPostgresReadOnlySession } from './postgres-read-only-session.js'

const INT8_OID = 20

/** Connects to PostgreSQL through a `pg` pool. */
export async function createPostgresAdapter(config: PostgresConfig): Promise<WarehouseAdapter> {
  const pg = await loadPg()
  const connection =
    config.url === undefined
      ? { host: config.host, port: config.port ?? 5432, database: config.database, user: config.user, password: config.password }
      : { connectionString: config.url }
  const pool = new pg.Pool({
    ...connection,
    ssl: config.ssl === 'require' ? { rejectUnauthorized: false } : config.ssl === 'verify-full',
    max: config.maxConnections ?? 4,
    // bigint columns arrive as numbers when exact, as strings otherwise (pg's default is always strings).
    types: { getTypeParser: (oid: number, format?: string) => (oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) },
  })
  await pool.query('select 1') // fail here, with a clear error, rather than on the first real query
  return new PostgresAdapter(pool)
}

async function loadPg(): Promise<PgModule['default']> {
  try {
    return ((await import('pg')) as unknown as PgModule).default
  } catch (error) {
    throw new OutflowError('WAREHOUSE_DRIVER_MISSING', 'PostgreSQL sources need the `pg` package: npm install pg', { cause: error })
  }
}

function parseInt8(text: string): number | string {
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : text
}

class PostgresAdapter implements WarehouseAdapter {
  readonly dialect = postgresDialect

  constructor(private readonly pool: PgPool) {}

  run(statement: Statement): Promise<QueryResult> {
    return runOn(this.pool, statement)
  }

  async *stream(statement: Statement, batchSize: number): AsyncIterable<Row[]> {
    // A server-side cursor in a transaction of its own: PostgreSQL sends `batchSize` rows at a time.
    const client = await this.pool.connect()
    let healthy = false
    try {
      await client.query('begin')
      yield* streamCursor(client, statement, batchSize, 'outflow_cursor')
      await client.query('commit')
      healthy = true
    } finally {
      // A consumer that stopped early leaves the transaction open: drop that connection.
      client.release(!healthy)
    }
  }

  describe(query: string): Promise<ColumnInfo[]> {
    return describePostgresQuery(this.pool, query)
  }

  readOnlySession<T>(fn: (session: ReadOnlySession) => Promise<T>): Promise<T> {
    return runPostgresReadOnlySession(this.pool, fn)
  }

  async transaction<T>(fn: (tx: WarehouseExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('begin')
      const result = await fn({ run: (statement) => runOn(client, statement) })
      await client.query('commit')
      return result
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  }

  classifyError(error: unknown): WarehouseErrorKind {
    const code = (error as { code?: unknown }).code
    if (code === '40001' || code === '40P01') return 'conflict'
    if (typeof code === 'string' && (code.startsWith('08') || code.startsWith('28') || code.startsWith('E'))) return 'connection'
    return 'query'
  }

  close(): Promise<void> {
    return this.pool.end()
  }
}
