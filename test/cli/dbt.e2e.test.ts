import { spawnSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  BRAZE_DEFAULT_API_KEY,
  LOOPS_DEFAULT_API_KEY,
  startBrazeEmulator,
  startLoopsEmulator,
  type BrazeEmulator,
  type LoopsEmulator,
} from '../../providers/emulators.js'
import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import { registerSpec } from '../../src/warehouse/state/spec-registry.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import { requiredServices } from '../helpers/required-services.js'
import { runCli } from '../helpers/run-cli.js'

/*
 * The dbt example (examples/dbt) as a user runs it, against a real `dbt build` (dbt-core with
 * dbt-duckdb, from OUTFLOW_TEST_DBT_BIN): validate the syncs that name dbt models, run them (all,
 * and by dbt model) into the Loops and Braze emulators, change a model and rebuild so that
 * `plan --dbt-state` shows the syncs it affects, and write the exposures dbt then shows
 * downstream of the models. Each step runs the CLI in process, on a copy of the example.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const EXAMPLE = join(ROOT, 'examples/dbt')

/** The dbt executable from OUTFLOW_TEST_DBT_BIN (its directory, or dbt itself), or why the suite is skipped. */
function dbtBin(): { bin: string | undefined; skipReason: string | undefined } {
  const value = process.env['OUTFLOW_TEST_DBT_BIN']
  if (value === undefined || value === '') {
    if (requiredServices().has('dbt')) throw new Error('dbt is required (OUTFLOW_REQUIRE_SERVICES) but OUTFLOW_TEST_DBT_BIN is not set')
    return { bin: undefined, skipReason: 'set OUTFLOW_TEST_DBT_BIN to run it (`bash .ci/install-dbt.sh | tail -1` prints it)' }
  }
  const bin = existsSync(value) && statSync(value).isDirectory() ? join(value, 'dbt') : value
  if (!existsSync(bin)) throw new Error(`OUTFLOW_TEST_DBT_BIN=${value}: no dbt there`)
  return { bin, skipReason: undefined }
}

const DBT = dbtBin()

let project: string
let syncs: string
let loops: LoopsEmulator
let braze: BrazeEmulator
const savedEnv = { LOOPS_API_KEY: process.env['LOOPS_API_KEY'], BRAZE_API_KEY: process.env['BRAZE_API_KEY'] }

/** Runs dbt in the project copy, as `cd examples/dbt && dbt <args>`; fails the test with dbt's output if it fails. */
function dbt(...args: string[]): string {
  const result = spawnSync(DBT.bin ?? 'dbt', args, {
    cwd: project,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, DO_NOT_TRACK: '1', DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' },
  })
  if (result.status !== 0) throw new Error(`dbt ${args.join(' ')} exited ${String(result.status)}:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

/** Rows of a query on the warehouse dbt built, closed again so that dbt and the CLI can open the file. */
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const pool = new WarehousePool({})
  try {
    const [source] = (await loadValidSpecs(syncs)).sources
    if (source === undefined) throw new Error('the example defines no Source')
    return (await (await pool.get(source)).run({ sql })).rows
  } finally {
    await pool.closeAll()
  }
}

async function setDestinations(): Promise<void> {
  const path = join(syncs, 'destinations.yaml')
  const text = await readFile(path, 'utf8')
  await writeFile(path, text.replace('http://127.0.0.1:4510', loops.url).replace('http://127.0.0.1:4511', braze.url))
}

function restoreEnv(name: 'LOOPS_API_KEY' | 'BRAZE_API_KEY', value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name)
  else process.env[name] = value
}

const brazeUser = (id: string) => braze.state().users.find((u) => u.external_id === id)

describe.skipIf(DBT.skipReason !== undefined)(`dbt example against a real dbt build: ${DBT.skipReason ?? 'examples/dbt'}`, () => {
  beforeAll(async () => {
    project = join(await mkdtemp(join(tmpdir(), 'outflow-dbt-')), 'dbt')
    // What `dbt build` leaves behind in the example (if it was run there) is not copied.
    const generated = new Set(['target', 'logs', 'dbt_packages', 'warehouse.duckdb', 'warehouse.duckdb.wal', '.user.yml'])
    await cp(EXAMPLE, project, { recursive: true, filter: (path) => !generated.has(basename(path)) })
    syncs = join(project, 'syncs')
    loops = await startLoopsEmulator({ undeclaredProperties: 'reject' })
    braze = await startBrazeEmulator()
    process.env['LOOPS_API_KEY'] = LOOPS_DEFAULT_API_KEY
    process.env['BRAZE_API_KEY'] = BRAZE_DEFAULT_API_KEY
    await setDestinations()
    dbt('build')
  }, 240_000)

  afterAll(async () => {
    await loops.stop()
    await braze.stop()
    restoreEnv('LOOPS_API_KEY', savedEnv.LOOPS_API_KEY)
    restoreEnv('BRAZE_API_KEY', savedEnv.BRAZE_API_KEY)
    await rm(dirname(project), { recursive: true, force: true })
  })

  it('validates syncs naming dbt models, and reports an unknown model and an undocumented column at their lines', async () => {
    const valid = await runCli('validate', syncs)
    expect(valid).toMatchObject({ code: 0, stdout: `${syncs}: valid (1 source, 2 destinations, 3 syncs)\n` })

    const broken = join(syncs, 'broken.yaml')
    const text = (await readFile(join(syncs, 'loops-contacts.yaml'), 'utf8'))
      .replace('name: loops-contacts', 'name: loops-broken')
      .replace('{ dbt: users }', '{ dbt: user }')
    await writeFile(broken, text)
    await writeFile(join(syncs, 'braze-users.yaml.bak'), '') // not a spec: ignored
    try {
      const outcome = await runCli('validate', syncs)
      expect(outcome.code).toBe(1)
      expect(outcome.stdout).toContain(
        `${broken}:10:17  /spec/model/dbt  no dbt model "user" in ${join(project, 'target/manifest.json')} (did you mean "users"?)`,
      )
      await writeFile(broken, text.replace('{ dbt: user }', '{ dbt: users }').replace('{ column: plan }', '{ column: tier }'))
      const warned = await runCli('validate', syncs)
      expect(warned.code).toBe(0)
      expect(warned.stdout).toContain(
        `${broken}:19:17  /spec/mappings/3/column  warning: column "tier" is not among the columns dbt documents for model "users"`,
      )
    } finally {
      await rm(broken)
      await rm(join(syncs, 'braze-users.yaml.bak'))
    }
  })

  it('runs the syncs that read the dbt models named, and the emulators hold the models', async () => {
    const users = await rows('select * from users order by user_id')
    expect(users).toHaveLength(5)

    const byUsers = await runCli('run', '--from-dir', syncs, '--dbt-models', 'users')
    expect(byUsers.code).toBe(0)
    expect(byUsers.stdout).toMatch(/^running 2 working tree syncs\n/)
    expect(byUsers.stdout).toMatch(/succeeded braze-users \(braze user, mirror\): 5 added/)
    expect(byUsers.stdout).toMatch(/succeeded loops-contacts \(loops contact, upsert\): 5 added/)
    expect(braze.state().events).toEqual([])

    const contacts = loops.state().contacts
    expect(contacts).toHaveLength(users.length)
    for (const user of users) {
      expect(contacts.find((c) => c['email'] === user['email'])).toMatchObject({
        userId: user['user_id'],
        firstName: user['first_name'],
        lastName: user['last_name'],
        plan: user['plan'],
        lifetimeValue: Number(user['lifetime_value']),
      })
      expect(brazeUser(String(user['user_id']))?.attributes).toMatchObject({ email: user['email'], first_name: user['first_name'] })
      expect(brazeUser(String(user['user_id']))?.custom_attributes).toMatchObject({ plan: user['plan'], orders: Number(user['orders']) })
    }

    const byOrders = await runCli('run', '--from-dir', syncs, '--dbt-models', 'orders')
    expect(byOrders.code).toBe(0)
    expect(byOrders.stdout).toMatch(/^running 1 working tree sync\nsucceeded braze-orders \(braze event, send\): 5 added/)
    const orders = await rows('select * from orders order by order_id')
    expect(
      braze
        .state()
        .events.map((e) => [e.external_id, e.name, e.properties['amount']])
        .sort(),
    ).toEqual(orders.map((o) => [o['user_id'], 'order_paid', Number(o['amount'])]).sort())

    const unknown = await runCli('run', '--from-dir', syncs, '--dbt-models', 'userz')
    expect(unknown).toMatchObject({ code: 2, stdout: '' })
    expect(unknown.stderr).toContain('--dbt-models: no dbt model matches "userz" (did you mean "users"?)')
  })

  it('shows in the plan which syncs a changed model affects, after `dbt build`; then runs them by selector', async () => {
    const state = join(dirname(project), 'prod-state')
    await mkdir(state)
    await cp(join(project, 'target/manifest.json'), join(state, 'manifest.json'))

    const unchanged = await runCli('plan', '--dir', syncs, '--dbt-state', state, '--format', 'markdown')
    expect(unchanged.code).toBe(0)
    expect(unchanged.stdout).toContain(
      `**dbt**: none of 3 syncs reading dbt models reads a model changed since the dbt manifest \`${join(state, 'manifest.json')}\``,
    )

    // Orders under $10 no longer count: the orders model changes, and users is built from it.
    const ordersSql = join(project, 'models/orders.sql')
    await writeFile(
      ordersSql,
      (await readFile(ordersSql, 'utf8')).replace("where status = 'paid'", "where status = 'paid' and amount_cents >= 1000"),
    )
    dbt('build')

    const plan = await runCli('plan', '--dir', syncs, '--dbt-state', state, '--format', 'markdown')
    expect(plan.code).toBe(0)
    const row = (sync: string) => plan.stdout.split('\n').find((line) => line.startsWith(`| \`${sync}\``))
    expect(row('braze-orders')).toBe(
      '| `braze-orders` | `braze event (send)` | 0 | 0 | 0 | 0 | 0 track | 0.0 s | new sync; :arrows_counterclockwise: dbt model `orders` changed (body) |',
    )
    expect(row('braze-users')).toMatch(
      /^\| `braze-users` \| `braze user \(mirror\)` \| 0 \| 1 \| 0 \| 0 \| .* dbt model `users` changed upstream: `orders` \|$/,
    )
    expect(row('loops-contacts')).toMatch(
      /^\| `loops-contacts` \| `loops contact \(upsert\)` \| 0 \| 1 \| 0 \| 0 \| .* dbt model `users` changed upstream: `orders` \|$/,
    )
    expect(plan.stdout).toContain(
      '**dbt**: 3 of 3 syncs reading dbt models read a model changed since the dbt manifest ' +
        `\`${join(state, 'manifest.json')}\`: \`braze-orders\` (\`orders\`), \`braze-users\` (\`users\`), \`loops-contacts\` (\`users\`)`,
    )

    const json = JSON.parse((await runCli('plan', '--dir', syncs, '--dbt-state', state, '--format', 'json')).stdout) as {
      syncs: { sync: string; update: number; dbt: unknown }[]
    }
    expect(json.syncs.map((s) => [s.sync, s.update, s.dbt])).toEqual([
      ['braze-orders', 0, { model: 'orders', changed: true, kinds: ['body'], upstream: [] }],
      ['braze-users', 1, { model: 'users', changed: true, kinds: [], upstream: ['orders'] }],
      ['loops-contacts', 1, { model: 'users', changed: true, kinds: [], upstream: ['orders'] }],
    ])

    // After the dbt job, its selector runs the syncs of what it built.
    const run = await runCli('run', '--from-dir', syncs, '--dbt-models', 'orders+')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^running 3 working tree syncs\n/)
    expect(brazeUser('user-2')?.custom_attributes).toMatchObject({ orders: 0 })
    expect(loops.state().contacts.find((c) => c['email'] === 'grace@example.com')).toMatchObject({ lifetimeValue: 0 })
  })

  it('writes exposures dbt shows downstream of the models, and tells CI when they are out of date', async () => {
    const file = join(project, 'models/outflow_exposures.yml')
    // The example ships its exposures file: it is what the command writes for the example's syncs.
    expect(await runCli('dbt', 'exposures', '--dir', syncs, '--check')).toMatchObject({
      code: 0,
      stdout: `${file} is up to date (3 exposures)\n`,
    })
    await rm(file)
    expect((await runCli('dbt', 'exposures', '--dir', syncs, '--check')).code).toBe(1)
    const written = await runCli('dbt', 'exposures', '--dir', syncs)
    expect(written).toMatchObject({
      code: 0,
      stdout: `wrote ${file}: 3 exposures (braze-orders, braze-users, loops-contacts)\n`,
    })
    expect(await runCli('dbt', 'exposures', '--dir', syncs, '--check')).toMatchObject({
      code: 0,
      stdout: `${file} is up to date (3 exposures)\n`,
    })

    dbt('parse')
    const manifest = JSON.parse(await readFile(join(project, 'target/manifest.json'), 'utf8')) as {
      exposures: Record<string, { type: string; label: string; owner: { name?: string; email?: string }; depends_on: { nodes: string[] } }>
    }
    expect(
      Object.entries(manifest.exposures)
        .map(([id, e]) => [id, e.type, e.label, e.owner, e.depends_on.nodes])
        .sort(),
    ).toEqual([
      ['exposure.shop.outflow_braze_orders', 'application', 'braze-orders', { name: 'growth', email: null }, ['model.shop.orders']],
      ['exposure.shop.outflow_braze_users', 'application', 'braze-users', { name: 'growth', email: null }, ['model.shop.users']],
      [
        'exposure.shop.outflow_loops_contacts',
        'application',
        'loops-contacts',
        { name: 'lifecycle', email: 'lifecycle@example.com' },
        ['model.shop.users'],
      ],
    ])
    const upstream = dbt('ls', '--select', '+exposure:outflow_loops_contacts', '--resource-type', 'model', '--output', 'name', '--quiet')
    expect(upstream.trim().split('\n').sort()).toEqual(['orders', 'users'])

    const sync = join(syncs, 'braze-users.yaml')
    await writeFile(sync, (await readFile(sync, 'utf8')).replace('labels: { team: growth }', 'labels: { team: crm }'))
    const stale = await runCli('dbt', 'exposures', '--dir', syncs, '--check')
    expect(stale).toMatchObject({ code: 1, stdout: '' })
    expect(stale.stderr).toBe(`${file} is out of date: run \`outflow dbt exposures --dir ${syncs}\`\n`)
  })

  it('registers the resolved spec, so that a registered run reads the relation and finds the syncs by dbt model', async () => {
    // What `pulumi up` does through the Sync resource: register each loaded (resolved) spec.
    const specs = await loadValidSpecs(syncs)
    const pool = new WarehousePool({})
    try {
      const source = specs.sources[0]
      if (source === undefined) throw new Error('no source')
      const adapter = await pool.get(source)
      await migrateState(adapter, source.connection.stateSchema)
      for (const sync of specs.syncs) {
        const destination = specs.destinations.find((d) => d.name === sync.destination)
        if (destination !== undefined) await registerSpec(adapter, source.connection.stateSchema, sync, destination, syncSpecHash(sync))
      }
    } finally {
      await pool.closeAll()
    }
    const registered = await rows("select spec from outflow.specs where sync = 'loops-contacts'")
    expect(JSON.parse(String(registered[0]?.['spec']))).toMatchObject({
      sync: { model: { dbt: 'users', table: '"warehouse"."main"."users"', uniqueId: 'model.shop.users' } },
    })

    const run = await runCli('run', '--dir', syncs, '--dbt-models', 'users', '--json')
    expect(run.code).toBe(0)
    const { results } = JSON.parse(run.stdout) as { results: { sync: string; status: string }[] }
    expect(results.map((r) => [r.sync, r.status])).toEqual([
      ['braze-users', 'succeeded'],
      ['loops-contacts', 'succeeded'],
    ])
    // A runner without the dbt project's manifest (no `dbt parse` there) still runs what was registered.
    await rename(join(project, 'target'), join(project, 'target-aside'))
    try {
      const registeredRun = await runCli('run', '--dir', syncs, 'loops-contacts')
      expect(registeredRun.stdout).toMatch(
        /^running 1 registered sync\nsucceeded loops-contacts \(loops contact, upsert\): 0 added, 0 changed/,
      )
      expect(registeredRun.code).toBe(0)
    } finally {
      await rename(join(project, 'target-aside'), join(project, 'target'))
    }
    const verify = await runCli('verify', '--from-dir', syncs, 'loops-contacts', 'braze-users')
    expect(verify.stdout).toContain('2 syncs: 2 in sync')
    expect(verify.code).toBe(0)
  })
})
