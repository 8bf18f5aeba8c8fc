import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'

import { describe, expect, it, onTestFinished, vi } from 'vitest'

import { main } from '../../src/cli/main.js'
import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { startBrazeEmulator } from '../../providers/emulators.js'
import { nextRunAfter, waitBeforeNextRound } from '../../src/engine/schedule-timing.js'
import { runCli } from '../helpers/run-cli.js'

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
  const sql = (statement: string) => sqlOnSpecsWarehouse(dir, statement)
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

/** A source, a Braze destination at `url` (key from SCHEDULE_TEST_BRAZE_KEY) and one sync on `schedule`. */
function specsWith(url: string, schedule: string): string {
  return `apiVersion: outflow/v1
kind: Source
metadata: { name: warehouse }
spec: { type: duckdb, path: warehouse.duckdb }
---
apiVersion: outflow/v1
kind: Destination
metadata: { name: braze }
spec: { type: braze, restEndpoint: '${url}', apiKey: { secret: SCHEDULE_TEST_BRAZE_KEY } }
---
apiVersion: outflow/v1
kind: Sync
metadata: { name: braze-users }
spec:
  source: warehouse
  model: { sql: "select 'u1' as id, 'u1@example.com' as email" }
  destination: braze
  object: user
  behavior: upsert
  key: { column: id, field: external_id }
  mappings: [{ column: email }]
  schedule: ${schedule}
`
}

it('sleeps, neither spins nor crashes, on the longest interval and the longest --max-wait', { timeout: 60_000 }, async () => {
  const braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  onTestFinished(() => braze.stop())
  vi.stubEnv('SCHEDULE_TEST_BRAZE_KEY', 'braze-test-key')
  onTestFinished(() => {
    vi.unstubAllEnvs()
  })
  const dir = await mkdtemp(join(tmpdir(), 'outflow-schedule-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'specs.yaml'), specsWith(braze.url, '{ interval: 366d }'))

  // Each round of the scheduler ends by closing its warehouses: counting closes counts rounds.
  const closeAll = vi.spyOn(WarehousePool.prototype, 'closeAll')
  let stdout = ''
  const running = main(['schedule', '--from-dir', dir, '--max-wait', '86400'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stdout += t),
  })
  await vi.waitFor(() => expect(stdout).toMatch(/succeeded braze-users/), { timeout: 15_000, interval: 100 })
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect(closeAll).toHaveBeenCalledTimes(1)

  const status = await runCli('status', '--from-dir', dir)
  expect(status.code).toBe(0)
  const next = /next run: (\S+)/.exec(status.stdout)?.[1] ?? ''
  expect(new Date(next).getTime() - Date.now()).toBeGreaterThan(365 * 24 * 3600 * 1000)

  process.emit('SIGTERM')
  expect(await running).toBe(0)
  expect(stdout).toMatch(/scheduler stopped\n$/)
})

it('logs one JSON object per line with --log-format json: times, levels, events, counts and error codes', { timeout: 60_000 }, async () => {
  const braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  onTestFinished(() => braze.stop())
  // A key the emulator refuses: the round's run fails, with its code in the event.
  vi.stubEnv('SCHEDULE_TEST_BRAZE_KEY', 'a-wrong-key')
  onTestFinished(() => {
    vi.unstubAllEnvs()
  })
  const dir = await mkdtemp(join(tmpdir(), 'outflow-schedule-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'specs.yaml'), specsWith(braze.url, '{ interval: 1h }'))

  let stdout = ''
  const running = main(['schedule', '--from-dir', dir, '--max-wait', '1', '--log-format', 'json'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stdout += t),
  })
  await vi.waitFor(() => expect(stdout).toMatch(/"event":"run_finished"/), { timeout: 15_000, interval: 100 })
  process.emit('SIGTERM')
  expect(await running).toBe(0)
  const events = stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  expect(events.map((e) => e['event'])).toEqual(['scheduler_started', 'round_started', 'run_finished', 'scheduler_stopped'])
  for (const event of events) expect(new Date(String(event['time'])).toISOString()).toBe(event['time'])
  const finished = events[2]
  expect(finished).toMatchObject({
    level: 'error',
    sync: 'braze-users',
    error_code: 'DESTINATION_AUTH',
    status: 'failed',
    counts: { added: 1, synced: 0 },
  })
  expect(String(finished?.['message'])).not.toContain('\n')
  expect(String(finished?.['run_id'])).toMatch(/^[0-9a-f-]{36}$/)
  expect(stdout).not.toContain('a-wrong-key')
})

describe('schedule timing', () => {
  it('refuses a --max-wait outside 1 to 86400 seconds', async () => {
    for (const value of ['1e7', '0', '0.5', '86401', 'Infinity', 'soon', '-5']) {
      expect(await runCli('schedule', '--max-wait', value)).toEqual({
        code: 2,
        stdout: '',
        stderr: `outflow: invalid --max-wait "${value}": expected seconds, from 1 to 86400 (a day)\n`,
      })
    }
  })

  it('gives no next run for an interval beyond what a date holds (a sync registered before intervals were bounded)', () => {
    const at = new Date('2026-11-23T10:15:00Z')
    const huge = { kind: 'interval', interval: '99999999999d', seconds: 99999999999 * 86400 } as const
    expect(nextRunAfter(huge, at)).toBeUndefined()
    expect(nextRunAfter({ kind: 'interval', interval: '366d', seconds: 366 * 86400 }, at)).toEqual(new Date('2027-11-24T10:15:00Z'))
  })

  it('always waits a finite time between 1 s and --max-wait before the next round', () => {
    const now = new Date('2026-11-23T10:15:00Z')
    expect(waitBeforeNextRound(undefined, now, 60_000)).toBe(60_000)
    expect(waitBeforeNextRound(new Date(Number.NaN), now, 60_000)).toBe(60_000)
    expect(waitBeforeNextRound(new Date('2027-11-24T10:15:00Z'), now, 86_400_000)).toBe(86_400_000)
    expect(waitBeforeNextRound(new Date('2026-11-23T10:15:10Z'), now, 60_000)).toBe(10_000)
    expect(waitBeforeNextRound(new Date('2020-01-01T00:00:00Z'), now, 60_000)).toBe(1000)
  })
})
