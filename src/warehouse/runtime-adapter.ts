import { OutflowError, type ErrorCode } from '../errors.js'
import type { ReadOnlySession } from './read-only-session.js'
import type { Row, Statement, WarehouseAdapter, WarehouseErrorKind, WarehouseExecutor, WarehouseReader } from './warehouse-adapter.js'

const CODES: Record<WarehouseErrorKind, ErrorCode> = {
  conflict: 'WAREHOUSE_CONFLICT',
  connection: 'WAREHOUSE_CONNECTION_FAILED',
  query: 'WAREHOUSE_QUERY_FAILED',
}

/** What the wrapper does around every call: refuse use after close, and turn driver errors into `OutflowError`s. */
interface Guards {
  guard: () => void
  convert: (error: unknown) => unknown
}

/**
 * Wraps an engine adapter once, to own what every engine needs alike: driver errors become
 * `OutflowError`s that name the source (and never the statement's parameters, which may be row
 * data), and nothing runs after close.
 */
export function withRuntime(adapter: WarehouseAdapter, source: string): WarehouseAdapter {
  let closed = false
  const guards: Guards = {
    guard: () => {
      if (closed) throw new OutflowError('INTERNAL', `source "${source}": used after it was closed`)
    },
    convert: (error) => toOutflowError(error, adapter, source),
  }
  const wrap = <T>(work: () => Promise<T>) => guarded(guards, work)
  const executor = (inner: WarehouseExecutor): WarehouseExecutor => ({ run: (s: Statement) => wrap(() => inner.run(s)) })
  return {
    dialect: adapter.dialect,
    run: (statement) => wrap(() => adapter.run(statement)),
    describe: (query) => wrap(() => adapter.describe(query)),
    transaction: (fn) => wrap(() => adapter.transaction((tx) => fn(executor(tx)))),
    readOnlySession: (fn) => sessionWrapped(adapter, fn, guards),
    stream: (statement, batchSize) => streamWrapped(adapter, statement, batchSize, guards),
    close: async () => {
      if (closed) return
      closed = true
      await adapter.close()
    },
  }
}

async function guarded<T>(guards: Guards, work: () => Promise<T>): Promise<T> {
  guards.guard()
  try {
    return await work()
  } catch (error) {
    throw guards.convert(error)
  }
}

/**
 * A session whose own calls turn driver errors into `OutflowError`s, as the adapter's do. What
 * `fn` throws passes through untouched: a plan's own failure is not a warehouse error.
 */
async function sessionWrapped<T>(adapter: WarehouseAdapter, fn: (session: ReadOnlySession) => Promise<T>, guards: Guards): Promise<T> {
  guards.guard()
  let failure: { error: unknown } | undefined
  try {
    return await adapter.readOnlySession(async (session) => {
      try {
        return await fn(wrapSession(session, guards))
      } catch (error) {
        failure = { error }
        throw error
      }
    })
  } catch (error) {
    throw failure?.error === error ? error : guards.convert(error)
  }
}

function wrapSession(session: ReadOnlySession, guards: Guards): ReadOnlySession {
  return {
    dialect: session.dialect,
    run: (statement) => guarded(guards, () => session.run(statement)),
    describe: (query) => guarded(guards, () => session.describe(query)),
    createScratchTable: (name, select) => guarded(guards, () => session.createScratchTable(name, select)),
    stream: (statement, batchSize) => streamWrapped(session, statement, batchSize, guards),
  }
}

async function* streamWrapped(reader: WarehouseReader, statement: Statement, batchSize: number, guards: Guards): AsyncIterable<Row[]> {
  guards.guard()
  try {
    yield* reader.stream(statement, batchSize)
  } catch (error) {
    throw guards.convert(error)
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
