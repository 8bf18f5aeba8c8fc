import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { runCli } from '../helpers/run-cli.js'
import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { registerSpec } from '../../src/warehouse/state/spec-registry.js'

/*
 * The commands a user runs day to day, through the CLI entry point, against a Braze emulator and
 * an embedded DuckDB warehouse. Credentials come from the environment, as in production.
 */

let braze: BrazeEmulator
let dir: string

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  process.env['CLI_TEST_BRAZE_KEY'] = 'braze-test-key'
})
afterAll(async () => {
  await braze.stop()
  delete process.env['CLI_TEST_BRAZE_KEY']
})
beforeEach(async () => {
  braze.reset()
  dir = await mkdtemp(join(tmpdir(), 'outflow-cli-run-'))
  await write(
    'warehouse.yaml',
    `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: warehouse.duckdb }\n`,
  )
  await write(
    'destinations.yaml',
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: CLI_TEST_BRAZE_KEY } }\n`,
  )
  await write('users.yaml', usersSync('mirror', `schedule: { interval: 1h }\nmaxDeletes: 1`))
  await write('manual.yaml', usersSync('upsert', '', 'braze-manual'))
  await sql(`create table people as select 'u' || i as id, 'u' || i || '@example.com' as email, i as score from range(1, 6) t(i)`)
  await sql(`insert into people values (null, 'nobody@example.com', 0)`)
})
afterEach(() => rm(dir, { recursive: true, force: true }))

function usersSync(behavior: string, extra: string, name = 'braze-users'): string {
  return `apiVersion: outflow/v1
kind: Sync
metadata: { name: ${name} }
spec:
  source: warehouse
  model: { table: people }
  destination: braze
  object: user
  behavior: ${behavior}
  key: { column: id, field: external_id }
  mappings:
    - { column: email }
    - { column: score, type: number }
${extra
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => `  ${l}`)
  .join('\n')}
`
}

async function write(file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text)
}

/** Runs SQL on the warehouse and closes it again: the CLI opens the DuckDB file itself. */
function sql(statement: string): Promise<void> {
  return sqlOnSpecsWarehouse(dir, statement)
}

const cli = runCli

describe('outflow run --from-dir', () => {
  it('syncs, then reports through status, runs and rejected', async () => {
    const run = await cli('run', '--from-dir', dir)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('running 2 working tree syncs')
    expect(run.stdout).toMatch(
      /succeeded braze-users \(braze user, mirror\): 5 added, 0 changed, 0 removed; -> 5 synced, 1 rejected, 0 failed/,
    )
    expect(run.stdout).toContain('2 syncs: 2 succeeded, 0 partial, 0 failed, 0 skipped; 10 records synced')
    expect(braze.state().users).toHaveLength(5)

    const status = await cli('status', '--from-dir', dir)
    expect(status.stdout).toMatch(
      /braze-users {2}-> {2}braze user \(mirror\)\n {2}last run: succeeded at .*: 5 added, 0 changed, 0 removed -> 5 synced, 1 rejected, 0 failed \(1 request, 0 retries, 0 answered 429\)\n {2}rejected rows: 1\n {2}schedule: every 1h; next run: \d{4}-/,
    )
    expect(status.stdout).toContain('schedule: manual; next run: when run by hand')

    const runs = await cli('runs', 'braze-users', '--from-dir', dir, '--json')
    expect(JSON.parse(runs.stdout)).toMatchObject({
      version: 1,
      command: 'runs',
      sync: 'braze-users',
      runs: [{ status: 'succeeded', counts: { added: 5, synced: 5, rejected: 1 } }],
    })

    const rejected = await cli('rejected', 'braze-users', '--from-dir', dir)
    expect(rejected.stdout).toMatch(/^\(null key\) {2}attempts 1 {2}last .*\n {2}1 row has a null key\n$/)
  })

  it('prints JSON results with --json and exits 1 when a sync fails', async () => {
    process.env['CLI_TEST_BRAZE_KEY'] = 'not-the-key'
    try {
      const run = await cli('run', 'braze-users', '--from-dir', dir, '--json')
      expect(run.code).toBe(1)
      const [result] = (JSON.parse(run.stdout) as { results: { status: string; error: { code: string; message: string } }[] }).results
      expect(result?.status).toBe('failed')
      expect(result?.error.code).toBe('DESTINATION_AUTH')
      expect(run.stdout).not.toContain('not-the-key')
    } finally {
      process.env['CLI_TEST_BRAZE_KEY'] = 'braze-test-key'
    }
  })

  it('runs only due syncs with --due: never manual ones, scheduled ones once per interval', async () => {
    const first = await cli('run', '--due', '--from-dir', dir)
    expect(first.stdout).toContain('running 1 working tree sync\n')
    expect(first.stdout).toContain('braze-users')
    expect(first.stdout).not.toContain('braze-manual')
    const again = await cli('run', '--due', '--from-dir', dir)
    expect(again).toMatchObject({ code: 0, stdout: 'no sync is due\n' })
  })

  it('shows without sending with --dry-run', async () => {
    const dry = await cli('run', 'braze-users', '--from-dir', dir, '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('create 5  update 0  delete 0  reject 1')
    expect(braze.requests()).toHaveLength(0)
  })

  it('refuses unknown syncs with a suggestion (exit 2)', async () => {
    const run = await cli('run', 'braze-user', '--from-dir', dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('no working tree sync named "braze-user" (did you mean "braze-users"?)')
  })
})

describe('outflow run (registered specs)', () => {
  it('says how to register when nothing is, and runs what is registered, not the working tree', async () => {
    const none = await cli('run', '--dir', dir)
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('no sync is registered in the state store of source "warehouse": apply the specs with `pulumi up`')

    const specs = await loadValidSpecs(dir)
    const pool = new WarehousePool({})
    try {
      const sync = specs.syncs.find((s) => s.name === 'braze-manual')
      const [source] = specs.sources
      const [destination] = specs.destinations
      if (sync === undefined || source === undefined || destination === undefined) throw new Error('fixture')
      await registerSpec(await pool.get(source), 'outflow', sync, destination, syncSpecHash(sync))
    } finally {
      await pool.closeAll()
    }
    const run = await cli('run', '--dir', dir)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('running 1 registered sync\n')
    expect(run.stdout).toContain('braze-manual')
    expect(run.stdout).not.toContain('braze-users')
  })
})

describe('outflow plan', () => {
  it('shows the data impact in text, markdown and JSON, and blocks deletes beyond maxDeletes', async () => {
    const text = await cli('plan', 'braze-users', '--dir', dir)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(
      'braze-users  ->  braze user (mirror)\n  create 5  update 0  delete 0  reject 1\n  1 batch, 1 track request,',
    )
    expect(text.stdout).toContain('  ! new sync')
    // No model value unless asked for: the rejected row is counted by its reason.
    expect(text.stdout).toContain('    reject 1: null key')
    expect(text.stdout).not.toContain('@example.com')
    const samples = await cli('plan', 'braze-users', '--dir', dir, '--samples', '3')
    expect(samples.stdout).toMatch(/ {4}create u\d {2}\{"email":"u\d@example.com","score":\d,"external_id":"u\d"\}/)
    expect(samples.stdout).toContain('    reject (null key): 1 row has a null key')

    await cli('run', 'braze-users', '--from-dir', dir)
    await sql(`delete from people where id in ('u1', 'u2')`)
    await sql(`update people set score = 50 where id = 'u3'`)
    const markdown = await cli('plan', '--dir', dir, '--format', 'markdown')
    expect(markdown.code).toBe(1)
    expect(markdown.stdout).toContain('| Sync | Destination | Create | Update | Delete | Reject | API calls | Est. time | Notes |')
    expect(markdown.stdout).toMatch(
      /\| `braze-users` \| `braze user \(mirror\)` \| 0 \| 1 \| 2 \| 1 \| 1 track \+ 1 delete \| 0\.0 s \| new sync; :no_entry: BLOCKED: sync "braze-users" would delete 2 of the 5 records it wrote, more than maxDeletes 1/,
    )
    expect(markdown.stdout).not.toContain('@example.com')

    const json = JSON.parse((await cli('plan', 'braze-users', '--dir', dir, '--format', 'json')).stdout) as {
      syncs: Record<string, unknown>[]
    }
    expect(json.syncs[0]).toMatchObject({ sync: 'braze-users', create: 0, update: 1, delete: 2, reject: 1, fullResync: false })

    await write(
      'users.yaml',
      usersSync('mirror', `schedule: { interval: 1h }\nmaxDeletes: 10`).replace(
        '- { column: email }',
        '- { column: email, field: email_address }',
      ),
    )
    const resync = JSON.parse((await cli('plan', 'braze-users', '--dir', dir, '--format', 'json')).stdout) as {
      syncs: Record<string, unknown>[]
    }
    expect(resync.syncs[0]).toMatchObject({ fullResync: true, update: 3, delete: 2 })
    expect(braze.requests().filter((r) => r.path === '/users/track')).toHaveLength(1)
  })
})
