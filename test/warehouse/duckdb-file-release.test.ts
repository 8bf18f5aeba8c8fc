import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { expect, it, onTestFinished } from 'vitest'

import { createDuckdbAdapter } from '../../src/warehouse/duckdb/duckdb-adapter.js'

/** Whether another process can open the DuckDB file for writing right now. */
async function otherProcessCanOpen(path: string): Promise<boolean> {
  const script = `const { DuckDBInstance } = await import('@duckdb/node-api'); (await DuckDBInstance.create(${JSON.stringify(path)})).closeSync()`
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd() })
    return true
  } catch {
    return false
  }
}

// A runner, `outflow status` and the Pulumi provider are separate processes that take turns on one file.
it('releases the database file once every adapter on it is closed, and not before', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-duckdb-lock-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'warehouse.duckdb')
  const first = await createDuckdbAdapter({ path })
  const second = await createDuckdbAdapter({ path })
  await first.run({ sql: 'create table t as select 1 as x' })
  await first.close()
  expect((await second.run({ sql: 'select count(*) as n from t' })).rows).toEqual([{ n: 1 }])
  expect(await otherProcessCanOpen(path)).toBe(false)
  await second.close()
  expect(await otherProcessCanOpen(path)).toBe(true)
})
