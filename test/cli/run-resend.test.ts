import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startLoopsEmulator, type LoopsEmulator } from '../../providers/emulators.js'
import type { SyncRunResult } from '../../src/engine/sync-run-result.js'
import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { numberField } from '../../src/warehouse/row-field.js'
import { requiredServices } from '../helpers/required-services.js'
import { runCli } from '../helpers/run-cli.js'

/*
 * `outflow run --full-resync` and `--keys`, through the CLI entry point, against a Loops emulator
 * (one request per contact, so requests count rows) and each warehouse engine: what the
 * destination holds is compared with the model, and the emulator's request log says what was sent.
 */

interface Engine {
  name: string
  /** Why it cannot run here; undefined when it can. */
  skip: string | undefined
  /** The body of the Source spec, with `stateSchema` to keep each test's state apart. */
  source(stateSchema: string): string
}

const postgresUrl = process.env['OUTFLOW_TEST_POSTGRES_URL'] ?? ''
const snowflakeUrl = process.env['OUTFLOW_TEST_SNOWFLAKE_URL'] ?? ''

const ENGINES: Engine[] = [
  { name: 'duckdb', skip: undefined, source: (state) => `{ type: duckdb, path: warehouse.duckdb, stateSchema: ${state} }` },
  {
    name: 'postgres',
    skip: unavailable('postgres', postgresUrl, 'OUTFLOW_TEST_POSTGRES_URL'),
    source: (state) => `{ type: postgres, url: { env: RESEND_TEST_PG_URL }, stateSchema: ${state} }`,
  },
  {
    name: 'snowflake',
    skip: unavailable('snowflake', snowflakeUrl, 'OUTFLOW_TEST_SNOWFLAKE_URL'),
    source: (
      state,
    ) => `{ type: snowflake, account: outflow, user: outflow, auth: { type: password, password: { env: RESEND_TEST_SF_PASSWORD } },
  warehouse: TEST, database: OUTFLOW_TEST, accessUrl: '${snowflakeUrl}', stateSchema: ${state} }`,
  },
]

function unavailable(name: string, url: string, variable: string): string | undefined {
  if (url !== '') return undefined
  if (requiredServices().has(name)) throw new Error(`${name} is required (OUTFLOW_REQUIRE_SERVICES) but ${variable} is not set`)
  return `set ${variable}`
}

const LOOPS_KEY = 'loops-test-key'

/** Emails SQL would choke on if they were pasted into a statement; Loops takes them as emails. */
const HOSTILE = [`o'brien";--@example.com`, `x');drop_table_contacts;--@example.com`]

let loops: LoopsEmulator
let dir: string
let schema: string

beforeAll(async () => {
  loops = await startLoopsEmulator({ apiKeys: [LOOPS_KEY], rateLimit: false })
  Object.assign(process.env, { RESEND_TEST_LOOPS_KEY: LOOPS_KEY, RESEND_TEST_PG_URL: postgresUrl, RESEND_TEST_SF_PASSWORD: 'test' })
})
afterAll(async () => {
  await loops.stop()
  for (const name of ['RESEND_TEST_LOOPS_KEY', 'RESEND_TEST_PG_URL', 'RESEND_TEST_SF_PASSWORD']) Reflect.deleteProperty(process.env, name)
})

/** Runs statements on the test's warehouse through a connection of its own; resolves to each one's `n`. */
async function sql(statement: string, params: unknown[] = []): Promise<number> {
  const pool = new WarehousePool()
  try {
    const [source] = (await loadValidSpecs(join(dir, 'warehouse.yaml'))).sources
    if (source === undefined) throw new Error('no source')
    const adapter = await pool.get(source)
    return numberField((await adapter.run({ sql: statement, params })).rows[0] ?? {}, 'n')
  } finally {
    await pool.closeAll()
  }
}

function spec(kind: string, name: string, body: string): string {
  return `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${body}\n`
}

/** The emails and first names the emulator holds. */
function held(): Record<string, unknown> {
  return Object.fromEntries(loops.state().contacts.map((c) => [String(c['email']), c['firstName']]))
}

/** Contact writes the emulator received since `from` (an index into its request log). */
function contactWrites(from: number): number {
  return loops
    .requests()
    .slice(from)
    .filter((r) => r.path === '/v1/contacts/update' || r.path === '/v1/contacts/create').length
}

/** Runs `outflow run contacts --from-dir <dir> --json …`; resolves to the result and the contact writes it made. */
async function run(...argv: string[]): Promise<{ code: number; result: SyncRunResult | undefined; writes: number; stderr: string }> {
  const from = loops.requests().length
  const outcome = await runCli('run', 'contacts', '--from-dir', dir, '--json', ...argv)
  const parsed = outcome.stdout === '' ? undefined : (JSON.parse(outcome.stdout) as { results: SyncRunResult[] })
  return { code: outcome.code, result: parsed?.results[0], writes: contactWrites(from), stderr: outcome.stderr }
}

for (const engine of ENGINES) {
  describe.skipIf(engine.skip !== undefined)(
    `run --full-resync and --keys: ${engine.name}${engine.skip === undefined ? '' : ` (${engine.skip})`}`,
    () => {
      const names = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'ken']
      const model = () => Object.fromEntries(names.map((n) => [`${n}@example.com`, n]))

      beforeEach(async () => {
        loops.reset()
        dir = await mkdtemp(join(tmpdir(), 'outflow-cli-resend-'))
        schema = `m_${randomBytes(5).toString('hex')}`
        await writeFile(join(dir, 'warehouse.yaml'), spec('Source', 'warehouse', engine.source(`s_${schema}`)))
        await writeFile(
          join(dir, 'loops.yaml'),
          spec('Destination', 'loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: RESEND_TEST_LOOPS_KEY } }`),
        )
        await writeFile(
          join(dir, 'contacts.yaml'),
          spec(
            'Sync',
            'contacts',
            `{ source: warehouse, model: { table: ${schema}.contacts }, destination: loops, object: contact, behavior: upsert,
  key: { column: email, field: email }, mappings: [{ column: first_name, field: firstName }] }`,
          ),
        )
        await sql(`create schema ${schema}`)
        await sql(`create table ${schema}.contacts (email varchar(100), first_name varchar(100))`)
        await sql(
          `insert into ${schema}.contacts (email, first_name) values ${names.map(() => '(?, ?)').join(', ')}`,
          names.flatMap((n) => [`${n}@example.com`, n]),
        )
      })
      afterEach(() => rm(dir, { recursive: true, force: true }))

      it('restores a contact the vendor lost with --full-resync, sending every row once, then nothing', async () => {
        expect(await run()).toMatchObject({ code: 0, writes: 6 })
        const lost = await fetch(`${loops.url}/v1/contacts/delete`, {
          method: 'POST',
          headers: { authorization: `Bearer ${LOOPS_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'grace@example.com' }),
        })
        expect(lost.status).toBe(200)
        expect(held()).not.toHaveProperty(['grace@example.com'])

        const incremental = await run()
        expect(incremental).toMatchObject({ code: 0, writes: 0, result: { counts: { added: 0, changed: 0, synced: 0 } } })
        expect(held()).not.toHaveProperty(['grace@example.com'])

        const resync = await run('--full-resync')
        expect(resync).toMatchObject({
          code: 0,
          writes: 6,
          result: { status: 'succeeded', fullResync: true, counts: { changed: 6, synced: 6 } },
        })
        expect(held()).toEqual(model())

        expect(await run()).toMatchObject({ code: 0, writes: 0, result: { fullResync: false, counts: { synced: 0 } } })
        // The run history says which run sent every row again.
        expect(await sql(`select count(*) as n from s_${schema}.runs where full_resync = true`)).toBe(1)
      })

      it('leaves a full resync the vendor did not take to the next run', async () => {
        await run()
        loops.setFaults([{ kind: 'status', status: 503, count: 1000, match: { method: 'PUT', path: '/v1/contacts/update' } }])
        const stopped = await run('--full-resync', '--max-consecutive-failures', '1')
        expect(stopped).toMatchObject({ code: 1, result: { status: 'partial', fullResync: true, counts: { synced: 0 } } })
        loops.setFaults([])
        // The resync is owed until each row is accepted: a plain run sends every row.
        expect(await run()).toMatchObject({ code: 0, writes: 6, result: { status: 'succeeded', counts: { changed: 6, synced: 6 } } })
        expect(await run()).toMatchObject({ writes: 0 })
      })

      it('plans a full resync as an update of every row with --dry-run, and sends nothing', async () => {
        await run()
        const from = loops.requests().length
        const dry = await runCli('run', 'contacts', '--from-dir', dir, '--dry-run', '--full-resync')
        expect(dry.code).toBe(0)
        expect(dry.stdout).toContain('create 0  update 6  delete 0')
        expect(dry.stdout).toMatch(/full resync/i)
        expect(contactWrites(from)).toBe(0)
        expect(await run()).toMatchObject({ writes: 0 })
      })

      it('sends exactly the rows of --keys, changed or not, names a key without a row, and leaves the rest to the next run', async () => {
        await run()
        await sql(
          `update ${schema}.contacts set first_name = upper(first_name) where email in ('ada@example.com', 'alan@example.com', 'ken@example.com')`,
        )

        const keyed = await run('--keys', 'ada@example.com,grace@example.com', '--keys', 'nobody@example.com')
        expect(keyed).toMatchObject({
          code: 0,
          writes: 2,
          result: { status: 'succeeded', fullResync: false, counts: { changed: 2, synced: 2 }, missingKeys: ['nobody@example.com'] },
        })
        expect(held()).toEqual({ ...model(), 'ada@example.com': 'ADA' })

        const text = await runCli('run', 'contacts', '--from-dir', dir, '--keys', 'ken@example.com, nobody@example.com')
        expect(text.code).toBe(0)
        expect(text.stdout).toContain('contacts: no row of the model has the key, nothing sent for it: "nobody@example.com"')
        expect(held()).toMatchObject({ 'ken@example.com': 'KEN', 'alan@example.com': 'alan' })

        // Only alan's change is left: the keys sent were recorded as a run records them.
        expect(await run()).toMatchObject({ writes: 1, result: { counts: { changed: 1, synced: 1 } } })
        expect(held()).toEqual({ ...model(), 'ada@example.com': 'ADA', 'alan@example.com': 'ALAN', 'ken@example.com': 'KEN' })
      })

      it('takes keys that are hostile to SQL as values, from --keys and --keys-file', async () => {
        await sql(
          `insert into ${schema}.contacts (email, first_name) values (?, ?), (?, ?)`,
          HOSTILE.flatMap((email) => [email, 'odd']),
        )
        await run()
        await writeFile(join(dir, 'keys.txt'), `${HOSTILE[1] ?? ''}\r\n\n`)
        const keyed = await run('--keys', HOSTILE[0] ?? '', '--keys-file', join(dir, 'keys.txt'))
        expect(keyed).toMatchObject({ code: 0, writes: 2, result: { counts: { changed: 2, synced: 2 }, missingKeys: [] } })
        expect(await sql(`select count(*) as n from ${schema}.contacts`)).toBe(8)

        const dry = await runCli('run', 'contacts', '--from-dir', dir, '--dry-run', '--json', '--keys', `${HOSTILE[0] ?? ''},' or '1'='1`)
        expect(dry.code).toBe(0)
        expect(JSON.parse(dry.stdout)).toMatchObject({ syncs: [{ create: 0, update: 1, delete: 0, missingKeys: [`' or '1'='1`] }] })
      })
    },
  )
}

describe('run --full-resync and --keys: usage', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outflow-cli-resend-usage-'))
    await writeFile(join(dir, 'warehouse.yaml'), spec('Source', 'warehouse', '{ type: duckdb, path: warehouse.duckdb }'))
    await writeFile(
      join(dir, 'braze.yaml'),
      spec('Destination', 'braze', `{ type: braze, restEndpoint: 'http://127.0.0.1:9', apiKey: { secret: RESEND_TEST_LOOPS_KEY } }`),
    )
    const sync = (name: string, object: string, behavior: string, mappings: string) =>
      spec(
        'Sync',
        name,
        `{ source: warehouse, model: { table: events }, destination: braze, object: ${object}, behavior: ${behavior},
  key: { column: id }, mappings: ${mappings} }`,
      )
    await writeFile(
      join(dir, 'syncs.yaml'),
      [
        sync('events', 'event', 'send', '[{ column: user_id, field: external_id }, { column: name, field: name }]'),
        sync('users', 'user', 'upsert', '[{ column: email }]'),
      ].join('---\n'),
    )
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it.each([
    ['--keys without a sync', ['--keys', 'a'], '--keys: name exactly one sync, whose keys these are (0 named)'],
    ['--keys with two syncs', ['users', 'events', '--keys', 'a'], '--keys: name exactly one sync, whose keys these are (2 named)'],
    [
      '--keys with --full-resync',
      ['users', '--keys', 'a', '--full-resync'],
      '--keys: goes without --full-resync, which already sends every row',
    ],
    ['--keys without a key', ['users', '--keys', ' , '], '--keys: no key given'],
    ['--keys with --due', ['users', '--keys', 'a', '--due'], '--keys: goes without --due: the sync is named'],
    [
      '1001 keys',
      ['users', '--keys', Array.from({ length: 1001 }, (_, i) => `k${String(i)}`).join(',')],
      '--keys: 1001 keys, at most 1000 at once',
    ],
    [
      'a --keys-file that cannot be read',
      ['users', '--keys-file', '/nonexistent/keys.txt'],
      'cannot read --keys-file "/nonexistent/keys.txt"',
    ],
    [
      '--keys of an event sync',
      ['events', '--keys', 'e1'],
      'sync "events" sends events (behavior send), each once and never again, so a resend of keys does not apply to it',
    ],
    [
      '--full-resync of every sync, an event sync among them',
      ['--full-resync'],
      'sync "events" sends events (behavior send), each once and never again, so a full resync does not apply to it; name the syncs to resync, leaving out event syncs',
    ],
    ['--full-resync --dry-run of an event sync', ['events', '--full-resync', '--dry-run'], 'so a full resync does not apply to it'],
  ])('refuses %s with exit 2 before anything runs', async (_, argv, message) => {
    const outcome = await runCli('run', '--from-dir', dir, ...argv)
    expect(outcome.stderr).toContain(message)
    expect(outcome.code).toBe(2)
  })
})
