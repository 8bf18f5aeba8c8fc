import { randomUUID } from 'node:crypto'

import type { ReadOnlySession } from '../read-only-session.js'
import type { WarehouseReader } from '../warehouse-adapter.js'

/**
 * Runs `fn` in a DuckDB read-only session: its scratch tables live in an in-memory database
 * attached for the session (read-write even when the file is opened read-only), so nothing is
 * written to the file. Not TEMP tables: those belong to one connection, and a DuckDB connection
 * that runs a query ends the result it was streaming, while a plan streams on a connection of its
 * own and queries on another. Statements go through `reader`, the adapter's own connections.
 */
export async function runDuckdbReadOnlySession<T>(reader: WarehouseReader, fn: (session: ReadOnlySession) => Promise<T>): Promise<T> {
  const scratch = `outflow_scratch_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  await reader.run({ sql: `attach ':memory:' as ${scratch} (read_write)` })
  try {
    return await fn({
      dialect: reader.dialect,
      run: (statement) => reader.run(statement),
      stream: (statement, batchSize) => reader.stream(statement, batchSize),
      describe: (query) => reader.describe(query),
      createScratchTable: async (name, select) => {
        const table = `${scratch}.main.${name}`
        await reader.run({ sql: `create or replace table ${table} as ${select}` })
        return table
      },
    })
  } finally {
    // An in-memory database holds nothing persistent: should detaching fail, it goes with the instance.
    await reader.run({ sql: `detach ${scratch}` }).catch(() => undefined)
  }
}
