import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

import { isOutflowError, planSyncs, runSyncs, verifySyncs, type SyncProgress, type SyncRunResult } from 'outflow'
import { startBrazeEmulator, startLoopsEmulator, type BrazeEmulator, type LoopsEmulator } from 'outflow/emulators'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import { registerSpec } from '../../src/warehouse/state/spec-registry.js'
import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'

/*
 * The programmatic API as a user calls it: `runSyncs`, `planSyncs` and `verifySyncs` imported from
 * the package entry (`outflow`, the built library), against the Loops and Braze emulators and an
 * embedded DuckDB warehouse. Setup (the model table, a registration as `pulumi up` writes it) goes
 * through the sources; what is under test does not.
 */

const HERE = dirname(fileURLToPath(import.meta.url))
const README_EXAMPLE = join(HERE, 'readme-example.ts')

/** The destinations' credentials: given to the API as `credentials`, to the README example as its environment. */
const CREDENTIALS = { API_TEST_LOOPS_KEY: 'loops-test-key', API_TEST_BRAZE_KEY: 'braze-test-key' }

let loops: LoopsEmulator
let braze: BrazeEmulator
/** Holds `syncs/`, the specs directory: the README example runs here. */
let project: string
let dir: string

beforeAll(async () => {
  ;[loops, braze] = await Promise.all([startLoopsEmulator({ rateLimit: false }), startBrazeEmulator()])
})
afterAll(async () => {
  await Promise.all([loops.stop(), braze.stop()])
})
beforeEach(async () => {
  loops.reset()
  braze.reset()
  project = await mkdtemp(join(tmpdir(), 'outflow-api-'))
  dir = join(project, 'syncs')
  await mkdir(dir)
  await write('warehouse.yaml', doc('Source', 'warehouse', '{ type: duckdb, path: warehouse.duckdb }'))
  await write(
    'destinations.yaml',
    [
      doc('Destination', 'loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: API_TEST_LOOPS_KEY } }`),
      doc('Destination', 'braze', `{ type: braze, restEndpoint: '${braze.url}', apiKey: { secret: API_TEST_BRAZE_KEY } }`),
    ].join('---\n'),
  )
  await write(
    'syncs.yaml',
    [
      doc(
        'Sync',
        'loops-contacts',
        `
  source: warehouse
  model: { table: users }
  destination: loops
  object: contact
  behavior: mirror
  key: { column: email, field: email }
  mappings: [{ column: user_id, field: userId }, { column: first_name, field: firstName }, { column: plan, field: plan }]
  maxDeletes: 100%`,
      ),
      doc(
        'Sync',
        'braze-users',
        `
  source: warehouse
  model: { table: users }
  destination: braze
  object: user
  behavior: upsert
  key: { column: user_id, field: external_id }
  mappings: [{ column: email }, { column: first_name }, { column: plan }]`,
      ),
    ].join('---\n'),
  )
  await sqlOnSpecsWarehouse(dir, `create table users (user_id varchar, email varchar, first_name varchar, plan varchar)`)
  await sqlOnSpecsWarehouse(
    dir,
    `insert into users select 'u' || i, 'u' || i || '@example.com', 'Name' || i, case when i % 2 = 0 then 'pro' else 'free' end from range(1, 6) t(i)`,
  )
})
afterEach(() => rm(project, { recursive: true, force: true }))

function doc(kind: string, name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`
}

async function write(file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text)
}

/** The model, as the syncs should have delivered it: [user_id, email, first_name, plan], by user_id. */
const MODEL = [1, 2, 3, 4, 5].map((i) => [`u${String(i)}`, `u${String(i)}@example.com`, `Name${String(i)}`, i % 2 === 0 ? 'pro' : 'free'])

function loopsRecords(): unknown[][] {
  return loops
    .state()
    .contacts.map((c) => [c['userId'], c['email'], c['firstName'], c['plan']])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
}

function brazeRecords(): unknown[][] {
  return braze
    .state()
    .users.map((u) => [u.external_id, u.attributes['email'], u.attributes['first_name'], u.custom_attributes['plan']])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
}

/** Registers the working tree's syncs in the state store, as `pulumi up` does. */
async function register(...names: string[]): Promise<void> {
  const specs = await loadValidSpecs(dir)
  const pool = new WarehousePool({})
  try {
    for (const sync of specs.syncs.filter((s) => names.includes(s.name))) {
      const [source] = specs.sources
      const destination = specs.destinations.find((d) => d.name === sync.destination)
      if (source === undefined || destination === undefined) throw new Error('fixture')
      await registerSpec(await pool.get(source), source.connection.stateSchema, sync, destination, syncSpecHash(sync))
    }
  } finally {
    await pool.closeAll()
  }
}

/** The error a promise rejects with, for its `code`. */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isOutflowError(error)) throw new Error(`expected an OutflowError, got ${String(error)}`)
  return { code: error.code, message: error.message }
}

describe('runSyncs, planSyncs and verifySyncs from the package entry', () => {
  it("run the working tree's syncs into the vendors, then plan nothing left to do and verify no drift", async () => {
    const progress: SyncProgress[] = []
    const finished: SyncRunResult[] = []
    const run = await runSyncs({
      fromDir: dir,
      credentials: CREDENTIALS,
      onProgress: (p) => progress.push(p),
      onResult: (r) => finished.push(r),
    })
    expect(run.skipped).toBeUndefined()
    expect(run.results.map((r) => [r.sync, r.status, r.counts.added, r.counts.synced, r.counts.rejected])).toEqual([
      ['loops-contacts', 'succeeded', 5, 5, 0],
      ['braze-users', 'succeeded', 5, 5, 0],
    ])
    expect(run.results[0]).toMatchObject({ destination: 'loops', object: 'contact', behavior: 'mirror', fullResync: false })
    expect(typeof run.results[0]?.runId).toBe('string')
    expect(finished.map((r) => r.sync).sort()).toEqual(['braze-users', 'loops-contacts'])
    expect(progress.some((p) => p.sync === 'loops-contacts' && p.done === p.total && p.total === 5)).toBe(true)
    expect(loopsRecords()).toEqual(MODEL)
    expect(brazeRecords()).toEqual(MODEL)

    const plan = await planSyncs({ fromDir: dir })
    expect(plan.removed).toEqual([])
    expect(plan.syncs).toHaveLength(2)
    for (const planned of plan.syncs) {
      if ('error' in planned) throw new Error(`${planned.sync}: ${planned.error.message}`)
      // Nothing is registered: the syncs ran from the working tree.
      expect(planned).toMatchObject({ registration: 'new', create: 0, update: 0, delete: 0, retry: 0, reject: 0, batches: 0 })
    }

    const verify = await verifySyncs({ fromDir: dir, credentials: CREDENTIALS })
    expect(verify.drift).toBe(false)
    expect(verify.syncs.map((s) => [s.sync, s.outcome, s.counts.read, s.counts.inSync, s.findings])).toEqual([
      ['loops-contacts', 'checked', 5, 5, []],
      ['braze-users', 'checked', 5, 5, []],
    ])
  })

  it('send only what changed, plan it first (values only with samples), and report drift made at the vendor', async () => {
    await runSyncs({ fromDir: dir, credentials: CREDENTIALS })
    await sqlOnSpecsWarehouse(dir, `update users set plan = 'enterprise' where user_id = 'u3'`)
    await sqlOnSpecsWarehouse(dir, `delete from users where user_id = 'u5'`)

    const plan = await planSyncs({ fromDir: dir, syncs: ['loops-contacts'] })
    expect(plan.syncs).toEqual([expect.objectContaining({ sync: 'loops-contacts', update: 1, delete: 1, create: 0, samples: [] })])
    const sampled = await planSyncs({ fromDir: dir, syncs: ['loops-contacts'], samples: 5 })
    expect(sampled.syncs[0]).toMatchObject({
      samples: expect.arrayContaining([expect.objectContaining({ op: 'update', key: 'u3@example.com' })]) as unknown[],
    })

    const run = await runSyncs({ fromDir: dir, syncs: ['loops-contacts'], credentials: CREDENTIALS })
    expect(run.results.map((r) => [r.sync, r.status, r.counts.changed, r.counts.removed, r.counts.synced])).toEqual([
      ['loops-contacts', 'succeeded', 1, 1, 2],
    ])
    expect(loopsRecords()).toEqual(MODEL.slice(0, 4).map((row) => (row[0] === 'u3' ? [...row.slice(0, 3), 'enterprise'] : row)))

    // Another system changes a record behind Outflow's back.
    const answer = await fetch(`${loops.url}/v1/contacts/update`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CREDENTIALS.API_TEST_LOOPS_KEY}` },
      body: JSON.stringify({ email: 'u1@example.com', firstName: 'Changed' }),
    })
    expect(answer.status).toBe(200)
    const verify = await verifySyncs({ fromDir: dir, syncs: ['loops-contacts'], credentials: CREDENTIALS, showValues: true })
    expect(verify.drift).toBe(true)
    expect(verify.syncs[0]?.findings).toEqual([
      { kind: 'different', key: 'u1@example.com', fields: [{ field: 'firstName', expected: 'Name1', actual: 'Changed' }] },
    ])
  })

  it('choose the registered syncs by default, as the CLI does', async () => {
    expect(await rejection(runSyncs({ dir, credentials: CREDENTIALS }))).toMatchObject({
      code: 'SPEC_NOT_FOUND',
      message: expect.stringContaining('no sync is registered in the state store of source "warehouse"') as string,
    })
    await register('braze-users')

    const run = await runSyncs({ dir, credentials: CREDENTIALS })
    expect(run.results.map((r) => [r.sync, r.status])).toEqual([['braze-users', 'succeeded']])
    expect(loopsRecords()).toEqual([])
    expect(brazeRecords()).toEqual(MODEL)

    // A plan compares the working tree with the registrations.
    const plan = await planSyncs({ dir })
    expect(plan.syncs.map((s) => [s.sync, s.registration, 'error' in s ? s.error.code : s.create])).toEqual([
      ['loops-contacts', 'new', 5],
      ['braze-users', 'unchanged', 0],
    ])
    await rm(join(dir, 'syncs.yaml'))
    await write('syncs.yaml', '')
    expect((await planSyncs({ dir })).removed).toEqual([{ sync: 'braze-users', destination: 'braze' }])

    const verify = await verifySyncs({ dir, credentials: CREDENTIALS })
    expect(verify).toMatchObject({ drift: false, syncs: [{ sync: 'braze-users', outcome: 'checked', counts: { read: 5, inSync: 5 } }] })
  })

  it('reject with OutflowError codes when nothing can be chosen, and keep row failures as results', async () => {
    expect(await rejection(runSyncs({ fromDir: dir, syncs: ['braze-user'], credentials: CREDENTIALS }))).toEqual({
      code: 'SYNC_NOT_FOUND',
      message: 'no working tree sync named "braze-user" (did you mean "braze-users"?)',
    })
    expect((await rejection(planSyncs({ fromDir: dir, syncs: ['nope'] }))).code).toBe('SYNC_NOT_FOUND')
    expect((await rejection(verifySyncs({ fromDir: dir, syncs: ['nope'] }))).code).toBe('SYNC_NOT_FOUND')
    expect(await rejection(runSyncs({ fromDir: dir, leaseTtlMs: 10 }))).toEqual({
      code: 'OPTION_INVALID',
      message: 'invalid leaseTtlMs 10: expected a number of at least 1000',
    })
    expect((await rejection(runSyncs({ fromDir: dir, maxConsecutiveFailures: 1.5 }))).code).toBe('OPTION_INVALID')
    expect((await rejection(planSyncs({ fromDir: dir, samples: -1 }))).code).toBe('OPTION_INVALID')
    expect((await rejection(verifySyncs({ fromDir: dir, sample: 0 }))).code).toBe('OPTION_INVALID')
    expect((await rejection(runSyncs({ fromDir: join(project, 'missing') }))).code).toBe('SPEC_NOT_FOUND')
    await write('broken.yaml', doc('Sync', 'broken', '{ source: warehouse }'))
    expect((await rejection(planSyncs({ fromDir: dir }))).code).toBe('SPEC_INVALID')
    await rm(join(dir, 'broken.yaml'))

    // Credentials come from `credentials` (process.env by default): a missing one fails its sync, not the call.
    const run = await runSyncs({ fromDir: dir, credentials: {} })
    expect(run.results.map((r) => [r.sync, r.status, r.error?.code])).toEqual([
      ['loops-contacts', 'failed', 'CREDENTIAL_MISSING'],
      ['braze-users', 'failed', 'CREDENTIAL_MISSING'],
    ])
  })

  it('stop on an aborted signal: the syncs end cancelled and the promise resolves', async () => {
    const stop = new AbortController()
    stop.abort()
    const run = await runSyncs({ fromDir: dir, credentials: CREDENTIALS, signal: stop.signal })
    expect(run.results.map((r) => [r.sync, r.status])).toEqual([
      ['loops-contacts', 'cancelled'],
      ['braze-users', 'cancelled'],
    ])
  })

  it("the README's example runs as written, in a project whose syncs are registered", async () => {
    const readme = await readFile(join(HERE, '../../README.md'), 'utf8')
    const example = '```ts\n' + (await readFile(README_EXAMPLE, 'utf8')) + '```'
    expect(readme.includes(example), 'the README shows test/api/readme-example.ts as it is').toBe(true)
    await register('loops-contacts', 'braze-users')
    // A project that installed outflow: its node_modules resolve `outflow` to this package.
    await symlink(join(HERE, '../../node_modules'), join(project, 'node_modules'))
    await copyFile(README_EXAMPLE, join(project, 'outflow-job.mjs'))
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['outflow-job.mjs'], {
      cwd: project,
      env: { ...process.env, ...CREDENTIALS },
    })
    expect(stderr).toBe('')
    const lines = stdout.split('\n')
    // The two destinations run at the same time: their results come in either order.
    expect(lines.slice(0, 2).sort()).toEqual([
      'succeeded braze-users: 5 synced, 0 rejected',
      'succeeded loops-contacts: 5 synced, 0 rejected',
    ])
    expect(lines.slice(2)).toEqual([
      'loops-contacts: 0 to create, 0 to update, 0 to delete (unchanged)',
      'braze-users: 0 to create, 0 to update, 0 to delete (unchanged)',
      // Registered syncs come by name; a plan follows the files.
      'braze-users: checked, 5 of 5 read in sync',
      'loops-contacts: checked, 5 of 5 read in sync',
      '',
    ])
    expect(loopsRecords()).toEqual(MODEL)
    expect(brazeRecords()).toEqual(MODEL)
  })
})
