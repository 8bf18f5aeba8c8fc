import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { expect, it, onTestFinished, vi } from 'vitest'

import { main } from '../../src/cli/main.js'
import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { startBrazeEmulator } from '../../providers/emulators.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'

/* `outflow schedule` as an operator runs it: a long-lived process, stopped with SIGTERM. */
it('runs a sync each time its interval comes round, picks up new rows, and stops on SIGTERM', { timeout: 60_000 }, async () => {
  const braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  onTestFinished(() => braze.stop())
  process.env['SCHEDULE_TEST_BRAZE_KEY'] = 'braze-test-key'
  onTestFinished(() => {
    delete process.env['SCHEDULE_TEST_BRAZE_KEY']
  })
  const dir = await mkdtemp(join(tmpdir(), 'outflow-schedule-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  await writeFile(
    join(dir, 'specs.yaml'),
    `apiVersion: outflow/v1
kind: Source
metadata: { name: warehouse }
spec: { type: duckdb, path: warehouse.duckdb }
---
apiVersion: outflow/v1
kind: Destination
metadata: { name: braze }
spec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: SCHEDULE_TEST_BRAZE_KEY } }
---
apiVersion: outflow/v1
kind: Sync
metadata: { name: braze-users }
spec:
  source: warehouse
  model: { table: people }
  destination: braze
  object: user
  behavior: upsert
  key: { column: id, field: external_id }
  mappings: [{ column: email }]
  schedule: { interval: 2s }
`,
  )
  const sql = async (statement: string) => {
    const pool = new WarehousePool({})
    try {
      const [source] = (await loadValidSpecs(dir)).sources
      if (source !== undefined) await (await pool.get(source)).run({ sql: statement })
    } finally {
      await pool.closeAll()
    }
  }
  await sql(`create table people as select 'u' || i as id, 'u' || i || '@example.com' as email from range(1, 4) t(i)`)

  let stdout = ''
  const running = main(['schedule', '--from-dir', dir, '--max-wait', '1'], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) })
  await vi.waitFor(() => expect(braze.state().users).toHaveLength(3), { timeout: 15_000, interval: 100 })
  // The scheduler lets go of the DuckDB file between rounds, so another process may write the model.
  await vi.waitFor(() => sql(`insert into people values ('u9', 'u9@example.com')`), { timeout: 15_000, interval: 200 })
  await vi.waitFor(() => expect(stdout).toMatch(/succeeded braze-users \(braze user, upsert\): 1 added, 0 changed/), {
    timeout: 15_000,
    interval: 100,
  })
  expect(braze.state().users).toHaveLength(4)
  process.emit('SIGTERM')
  expect(await running).toBe(0)
  expect(stdout).toMatch(/scheduler started\n/)
  expect(stdout).toMatch(/running braze-users\n.*succeeded braze-users \(braze user, upsert\): 3 added/)
  expect(stdout).toMatch(/succeeded braze-users \(braze user, upsert\): 1 added, 0 changed/)
  expect(stdout).toMatch(/scheduler stopped\n$/)
})
