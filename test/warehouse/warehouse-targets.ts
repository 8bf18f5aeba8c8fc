import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { createDuckdbAdapter } from '../../src/warehouse/duckdb/duckdb-adapter.js'
import { createPostgresAdapter } from '../../src/warehouse/postgres/postgres-adapter.js'
import { withRuntime } from '../../src/warehouse/runtime-adapter.js'
import { createSnowflakeAdapter } from '../../src/warehouse/snowflake/snowflake-adapter.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { requiredServices } from '../helpers/required-services.js'

/** A warehouse the contract suite runs against, or the reason it cannot here. */
export interface WarehouseTarget {
  name: 'duckdb' | 'postgres' | 'snowflake'
  /** Why the target is skipped; undefined when it runs. */
  skipReason: string | undefined
  /** A new adapter (a new connection) to the target's test database. */
  open(): Promise<WarehouseAdapter>
}

const duckdbFile = join(mkdtempSync(join(tmpdir(), 'outflow-duckdb-')), 'contract.duckdb')

/**
 * DuckDB always runs. PostgreSQL runs against OUTFLOW_TEST_POSTGRES_URL, and Snowflake against the
 * emulator at OUTFLOW_TEST_SNOWFLAKE_URL; without them they are skipped with the reason shown,
 * unless OUTFLOW_REQUIRE_SERVICES names them, as CI does, and then the suite fails instead.
 */
export const WAREHOUSE_TARGETS: readonly WarehouseTarget[] = [
  {
    name: 'duckdb',
    skipReason: undefined,
    open: async () => withRuntime(await createDuckdbAdapter({ path: duckdbFile, memoryLimit: '256MB', threads: 2 }), 'duckdb-test'),
  },
  target('postgres', 'OUTFLOW_TEST_POSTGRES_URL', async (url) => withRuntime(await createPostgresAdapter({ url }), 'postgres-test')),
  target('snowflake', 'OUTFLOW_TEST_SNOWFLAKE_URL', async (url) =>
    withRuntime(
      await createSnowflakeAdapter({
        account: 'outflow',
        user: 'outflow',
        auth: { type: 'password', secret: 'test' },
        warehouse: 'TEST',
        database: 'OUTFLOW_TEST',
        accessUrl: url,
      }),
      'snowflake-test',
    ),
  ),
]

function target(name: 'postgres' | 'snowflake', variable: string, open: (url: string) => Promise<WarehouseAdapter>): WarehouseTarget {
  const url = process.env[variable]
  if (url === undefined || url === '') {
    if (requiredServices().has(name)) throw new Error(`${name} is required (OUTFLOW_REQUIRE_SERVICES) but ${variable} is not set`)
    return {
      name,
      skipReason: `${name}: set ${variable} to run these tests`,
      open: () => Promise.reject(new Error(`${variable} is not set`)),
    }
  }
  return { name, skipReason: undefined, open: () => open(url) }
}
