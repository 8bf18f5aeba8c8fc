import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { createDuckdbAdapter } from '../../src/warehouse/duckdb/duckdb-adapter.js'
import { numberField, textField } from '../../src/warehouse/row-field.js'
import { createPostgresSandbox, type PostgresSandbox } from '../helpers/postgres-sandbox.js'
import { requiredServices } from '../helpers/required-services.js'
import { runCli } from '../helpers/run-cli.js'

/*
 * `outflow plan`, `run --dry-run` and `verify` read only: through the CLI entry point, they work
 * with a PostgreSQL role that may only read, with or without a state store, and leave every table
 * of a DuckDB file as it was.
 */

let braze: BrazeEmulator
let dir: string

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  process.env['READ_ONLY_TEST_BRAZE_KEY'] = 'braze-test-key'
})
afterAll(async () => {
  await braze.stop()
  delete process.env['READ_ONLY_TEST_BRAZE_KEY']
  delete process.env['READ_ONLY_TEST_PG_URL']
})
beforeEach(async () => {
  braze.reset()
  dir = await mkdtemp(join(tmpdir(), 'outflow-cli-read-only-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

/** Writes a source, the Braze destination and a mirror of `table` (user_id, email, score) to Braze users. */
async function writeSpecs(source: string, table: string): Promise<void> {
  const spec = (kind: string, name: string, body: string) =>
    `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${body}\n`
  await writeFile(join(dir, 'warehouse.yaml'), spec('Source', 'warehouse', source))
  await writeFile(
    join(dir, 'braze.yaml'),
    spec('Destination', 'braze', `{ type: braze, restEndpoint: '${braze.url}', apiKey: { secret: READ_ONLY_TEST_BRAZE_KEY } }`),
  )
  await writeFile(
    join(dir, 'users.yaml'),
    spec(
      'Sync',
      'braze-users',
      `{ source: warehouse, model: { table: ${table} }, destination: braze, object: user, behavior: mirror, maxDeletes: 100%,
  key: { column: user_id, field: external_id }, mappings: [{ column: email }, { column: score, type: number }] }`,
    ),
  )
}

/** What `plan --format json` counted for the one sync. */
async function planCounts(...argv: string[]): Promise<Record<string, unknown>> {
  const plan = await runCli('plan', '--dir', dir, '--format', 'json', ...argv)
  expect(plan.stderr).toBe('')
  expect(plan.code).toBe(0)
  const [sync] = (JSON.parse(plan.stdout) as { syncs: Record<string, unknown>[] }).syncs
  return sync ?? {}
}

/** `run --dry-run` and `verify` of the working tree's syncs, which must both succeed. */
async function dryRunAndVerify(): Promise<void> {
  const dry = await runCli('run', '--from-dir', dir, '--dry-run', '--json')
  expect(dry.stderr).toBe('')
  expect(dry.code).toBe(0)
  const verify = await runCli('verify', '--from-dir', dir, '--format', 'json')
  expect(verify.stderr).toBe('')
  expect(JSON.parse(verify.stdout)).toMatchObject({ drift: false, syncs: [{ sync: 'braze-users', outcome: 'checked' }] })
}

describe('on DuckDB', () => {
  const path = () => join(dir, 'warehouse.duckdb')

  async function sql(...statements: string[]): Promise<void> {
    const adapter = await createDuckdbAdapter({ path: path() })
    try {
      for (const statement of statements) await adapter.run({ sql: statement })
    } finally {
      await adapter.close()
    }
  }

  /** Every table of the file, by schema, with its row count, as information_schema lists them. */
  async function tables(): Promise<Record<string, number>> {
    const adapter = await createDuckdbAdapter({ path: path(), readOnly: true })
    try {
      const { rows } = await adapter.run({
        sql: `select table_schema || '.' || table_name as name from information_schema.tables where table_catalog = current_database() order by 1`,
      })
      const counted: Record<string, number> = {}
      for (const row of rows) {
        const name = textField(row, 'name') ?? ''
        counted[name] = numberField((await adapter.run({ sql: `select count(*) as n from ${name}` })).rows[0] ?? {}, 'n')
      }
      return counted
    } finally {
      await adapter.close()
    }
  }

  beforeEach(async () => {
    await writeSpecs('{ type: duckdb, path: warehouse.duckdb }', 'users')
    await sql(`create table users as select 'u' || i as user_id, 'u' || i || '@example.com' as email, i as score from range(1, 6) t(i)`)
  })

  it('leaves every table as it was: plan, run --dry-run and verify after a run', async () => {
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    await sql(
      `delete from users where user_id in ('u1', 'u2')`,
      `update users set score = 50 where user_id = 'u3'`,
      `insert into users values ('u9', 'u9@example.com', 9)`,
    )
    const before = await tables()
    expect(before).toMatchObject({ 'main.users': 4, 'outflow.snapshot__braze_users': 5 })
    expect(await planCounts()).toMatchObject({ create: 1, update: 1, delete: 2 })
    await dryRunAndVerify()
    expect(await tables()).toEqual(before)
    expect(braze.requests().filter((r) => r.path === '/users/track')).toHaveLength(1)
  })

  it('plans a file without any state: every row is new, and no state is created', async () => {
    const before = await tables()
    expect(before).toEqual({ 'main.users': 5 })
    expect(await planCounts()).toMatchObject({ create: 5, update: 0, delete: 0, registration: 'new' })
    await dryRunAndVerify()
    expect(await tables()).toEqual(before)
  })
})

const serverUrl = process.env['OUTFLOW_TEST_POSTGRES_URL'] ?? ''
if (serverUrl === '' && requiredServices().has('postgres'))
  throw new Error('postgres is required (OUTFLOW_REQUIRE_SERVICES) but OUTFLOW_TEST_POSTGRES_URL is not set')

describe.skipIf(serverUrl === '')(
  `on PostgreSQL, as a role that may only read${serverUrl === '' ? ' (set OUTFLOW_TEST_POSTGRES_URL)' : ''}`,
  () => {
    let sandbox: PostgresSandbox
    const as = (url: string) => (process.env['READ_ONLY_TEST_PG_URL'] = url)

    beforeEach(async () => {
      sandbox = await createPostgresSandbox(serverUrl)
      await writeSpecs('{ type: postgres, url: { env: READ_ONLY_TEST_PG_URL } }', 'models.users')
      await sandbox.query('create schema models')
      await sandbox.query(`create table models.users as select 'u' || i as user_id, 'u' || i || '@example.com' as email, i as score
      from generate_series(1, 5) i`)
      await sandbox.grantRead('models')
    })
    afterEach(() => sandbox.drop())

    it('plans, dry-runs and verifies with SELECT on the models and the state schema, after a run created the state', async () => {
      as(sandbox.adminUrl)
      expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
      await sandbox.query(`delete from models.users where user_id in ('u1', 'u2')`)
      await sandbox.query(`update models.users set score = 50 where user_id = 'u3'`)
      await sandbox.query(`insert into models.users values ('u9', 'u9@example.com', 9)`)
      await sandbox.grantRead('outflow')
      const before = await sandbox.tables()

      as(sandbox.readerUrl)
      expect(await planCounts()).toMatchObject({ create: 1, update: 1, delete: 2, retry: 0 })
      await dryRunAndVerify()
      expect(await sandbox.tables()).toEqual(before)
      // The role really only reads: a run, which records state, is refused.
      const run = await runCli('run', '--from-dir', dir)
      expect(run.code).toBe(1)
      expect(run.stdout + run.stderr).toContain('permission denied')
    })

    it('plans, dry-runs and verifies a database without any state schema, and creates none', async () => {
      as(sandbox.readerUrl)
      expect(await planCounts()).toMatchObject({ create: 5, update: 0, delete: 0, registration: 'new' })
      await dryRunAndVerify()
      const registered = await runCli('run', '--dir', dir, '--dry-run')
      expect(registered.code).toBe(1)
      expect(registered.stderr).toContain('no sync is registered in the state store of source "warehouse"')
      expect(await sandbox.tables()).toEqual({ 'models.users': 5 })
    })
  },
)
