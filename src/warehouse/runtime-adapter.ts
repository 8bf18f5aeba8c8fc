import { OutflowError, type ErrorCode } from '../errors.js'
import type { Row, Statement, WarehouseAdapter, WarehouseErrorKind, WarehouseExecutor } from './warehouse-adapter.js'

const CODES: Record<WarehouseErrorKind, ErrorCode> = {
  conflict: 'WAREHOUSE_CONFLICT',
  connection: 'WAREHOUSE_CONNECTION_FAILED',
  query: 'WAREHOUSE_QUERY_FAILED',
}

/**
 * Wraps an engine adapter once, to own what every engine needs alike: driver errors become
 * `OutflowError`s that name the source (and never the statement's parameters, which may be row
 * data), and nothing runs after close.
 */
export function withRuntime(adapter: WarehouseAdapter, source: string): WarehouseAdapter {
  let closed = false
  const guard = () => {
    if (closed) throw new OutflowError('INTERNAL', `source "${source}": used after it was closed`)
  }
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    guard()
    try {
      return await work()
    } catch (error) {
      throw toOutflowError(error, adapter, source)
    }
  }
  const executor = (inner: WarehouseExecutor): WarehouseExecutor => ({ run: (s: Statement) => wrap(() => inner.run(s)) })
  return {
    dialect: adapter.dialect,
    run: (statement) => wrap(() => adapter.run(statement)),
    describe: (sql) => wrap(() => adapter.describe(sql)),
    transaction: (fn) => wrap(() => adapter.transaction((tx) => fn(executor(tx)))),
    stream: (statement, batchSize) => streamWrapped(adapter, statement, batchSize, source, guard),
    close: async () => {
      if (closed) return
      closed = true
      await adapter.close()
    },
  }
}

async function* streamWrapped(
  adapter: WarehouseAdapter,
  statement: Statement,
  batchSize: number,
  source: string,
  guard: () => void,
): AsyncIterable<Row[]> {
  guard()
  try {
    yield* adapter.stream(statement, batchSize)
  } catch (error) {
    throw toOutflowError(error, adapter, source)
  }
}

function toOutflowError(error: unknown, adapter: WarehouseAdapter, source: string): unknown {
  if (error instanceof OutflowError) return error
  const kind = adapter.classifyError?.(error) ?? 'query'
  const detail = error instanceof Error ? error.message : String(error)
  const what = kind === 'connection' ? 'cannot connect' : kind === 'conflict' ? 'a concurrent transaction conflicted' : 'query failed'
  return new OutflowError(CODES[kind], `source "${source}" (${adapter.dialect.name}): ${what}: ${detail}`, {
    cause: error,
    retryable: kind !== 'query',
  })
}
