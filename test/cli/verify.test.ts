import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { runCli } from '../helpers/run-cli.js'
import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import {
  startBrazeEmulator,
  startCleverTapEmulator,
  startCourierEmulator,
  startLoopsEmulator,
  type BrazeEmulator,
  type CleverTapEmulator,
  type CourierEmulator,
  type LoopsEmulator,
} from '../../providers/emulators.js'

/*
 * `outflow verify` through the CLI entry point, against the four emulators and an embedded DuckDB
 * warehouse: a clean run verifies clean, and records changed, deleted or re-created at the vendor
 * behind Outflow's back (through the vendors' own APIs) are reported as drift.
 */

let loops: LoopsEmulator
let braze: BrazeEmulator
let clevertap: CleverTapEmulator
let courier: CourierEmulator
let dir: string

const KEYS = {
  VERIFY_TEST_LOOPS_KEY: 'loops-test-key',
  VERIFY_TEST_BRAZE_KEY: 'braze-test-key',
  VERIFY_TEST_CLEVERTAP_PASSCODE: 'clevertap-test-passcode',
  VERIFY_TEST_COURIER_TOKEN: 'courier-test-token',
}

beforeAll(async () => {
  ;[loops, braze, clevertap, courier] = await Promise.all([
    startLoopsEmulator(),
    startBrazeEmulator(),
    startCleverTapEmulator(),
    startCourierEmulator(),
  ])
  Object.assign(process.env, KEYS)
})
afterAll(async () => {
  await Promise.all([loops.stop(), braze.stop(), clevertap.stop(), courier.stop()])
  for (const name of Object.keys(KEYS)) Reflect.deleteProperty(process.env, name)
})
beforeEach(async () => {
  for (const emulator of [loops, braze, clevertap, courier]) emulator.reset()
  dir = await mkdtemp(join(tmpdir(), 'outflow-cli-verify-'))
  await writeSpecs()
  await sql(`create table users (user_id varchar, email varchar, first_name varchar, plan varchar, score integer,
    signed_up_at timestamp, subscribed boolean)`)
  await sql(`insert into users select 'u' || i, 'u' || i || '@example.com', 'Name' || i, case when i % 2 = 0 then 'pro' else 'free' end,
    i * 10, timestamp '2026-03-01 08:30:15.250' + to_days(i), true from range(1, 5) t(i)`)
  await sql(
    `create table events as select 'e1' as event_id, 'u1' as user_id, 'signed_up' as name, timestamp '2026-03-02 10:00:00' as occurred_at`,
  )
})
afterEach(() => rm(dir, { recursive: true, force: true }))

async function writeSpecs(): Promise<void> {
  await write('warehouse.yaml', doc('Source', 'warehouse', '{ type: duckdb, path: warehouse.duckdb }'))
  await write(
    'destinations.yaml',
    [
      doc('Destination', 'loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: VERIFY_TEST_LOOPS_KEY } }`),
      doc('Destination', 'braze', `{ type: braze, restEndpoint: '${braze.url}', apiKey: { secret: VERIFY_TEST_BRAZE_KEY } }`),
      doc(
        'Destination',
        'clevertap',
        `{ type: clevertap, accountId: TEST-ACCOUNT, region: eu1, baseUrl: '${clevertap.url}', passcode: { secret: VERIFY_TEST_CLEVERTAP_PASSCODE } }`,
      ),
      doc('Destination', 'courier', `{ type: courier, baseUrl: '${courier.url}', authToken: { secret: VERIFY_TEST_COURIER_TOKEN } }`),
    ].join('---\n'),
  )
  await write(
    'syncs.yaml',
    [
      sync('loops-contacts', 'loops', 'contact', 'mirror', '{ column: email, field: email }', [
        '{ column: user_id, field: userId }',
        '{ column: first_name, field: firstName }',
        '{ column: plan, field: plan }',
        '{ column: score, field: score, type: number }',
        '{ column: signed_up_at, field: signedUpAt, type: date }',
      ]),
      sync('braze-users', 'braze', 'user', 'mirror', '{ column: user_id, field: external_id }', [
        '{ column: email }',
        '{ column: first_name }',
        '{ column: plan }',
        '{ column: score, type: number }',
        '{ column: signed_up_at, type: date }',
      ]),
      sync('braze-events', 'braze', 'event', 'send', '{ column: event_id }', [
        '{ column: user_id, field: external_id }',
        '{ column: name }',
        '{ column: occurred_at, field: time }',
      ]).replace('model: { table: users }', 'model: { table: events }\n  backfill: true'),
      sync('clevertap-profiles', 'clevertap', 'profile', 'upsert', '{ column: user_id, field: identity }', [
        '{ column: first_name, field: Name }',
        '{ column: email, field: Email }',
        '{ column: subscribed, field: MSG-email }',
        '{ column: plan, field: Plan }',
        '{ column: signed_up_at, field: Signed Up, type: date }',
      ]),
      sync('courier-profiles', 'courier', 'profile', 'upsert', '{ column: user_id, field: recipient_id }', [
        '{ column: email }',
        '{ column: first_name, field: given_name }',
      ]),
      sync('courier-newsletter', 'courier', 'profileWithList', 'mirror', '{ column: user_id, field: recipient_id }', ['{ column: email }'])
        .replace('model: { table: users }', 'model: { sql: "select user_id, email from users where subscribed" }')
        .concat('  options: { list: { id: newsletter.weekly, name: Weekly newsletter } }\n'),
    ].join('---\n'),
  )
}

function doc(kind: string, name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`
}

function sync(name: string, destination: string, object: string, behavior: string, key: string, mappings: string[]): string {
  const limit = behavior === 'mirror' ? '  maxDeletes: 100%\n' : ''
  return `apiVersion: outflow/v1\nkind: Sync\nmetadata: { name: ${name} }\nspec:\n  source: warehouse\n  model: { table: users }\n  destination: ${destination}\n  object: ${object}\n  behavior: ${behavior}\n  key: ${key}\n  mappings:\n${mappings.map((m) => `    - ${m}\n`).join('')}${limit}`
}

async function write(file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text)
}

/** Runs SQL on the warehouse and closes it again: the CLI opens the DuckDB file itself. */
function sql(statement: string): Promise<void> {
  return sqlOnSpecsWarehouse(dir, statement)
}

const cli = runCli

async function run(): Promise<void> {
  const result = await cli('run', '--from-dir', dir)
  expect(result.code, result.stdout + result.stderr).toBe(0)
}

/** Calls a vendor's own API, as another system would, behind Outflow's back. */
async function vendor(url: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(response.status, `${method} ${path}`).toBeLessThan(300)
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const clevertapAuth = { 'x-clevertap-account-id': 'TEST-ACCOUNT', 'x-clevertap-passcode': 'clevertap-test-passcode' }

interface VerifyJson {
  drift: boolean
  syncs: {
    sync: string
    outcome: string
    reason?: string
    error?: { code: string; message: string }
    counts: Record<string, number>
    findings: { kind: string; key: string; detail?: string; fields?: { field: string; expected?: unknown; actual?: unknown }[] }[]
  }[]
}

async function verifyJson(...argv: string[]): Promise<{ code: number; report: VerifyJson }> {
  const result = await cli('verify', '--from-dir', dir, '--format', 'json', ...argv)
  return { code: result.code, report: JSON.parse(result.stdout) as VerifyJson }
}

function syncOf(report: VerifyJson, name: string): VerifyJson['syncs'][number] {
  const found = report.syncs.find((s) => s.sync === name)
  if (found === undefined) throw new Error(`no ${name} in the report`)
  return found
}

describe('outflow verify', () => {
  it('reports nothing after a clean run, and says which objects cannot be read back', async () => {
    await run()
    const text = await cli('verify', '--from-dir', dir)
    expect(text.code).toBe(0)
    for (const name of ['loops-contacts', 'braze-users', 'clevertap-profiles', 'courier-profiles', 'courier-newsletter']) {
      expect(text.stdout).toMatch(new RegExp(`${name} .*\\n {2}read 4 synced records: 4 in sync, 0 missing, 0 different`))
    }
    expect(text.stdout).toMatch(/braze-events {2}-> {2}braze event \(send\)\n {2}not verifiable: Braze keeps no single events to read back/)
    expect(text.stdout).toContain('6 syncs: 5 in sync, 0 drifted (0 records), 1 not verifiable, 0 failed')
  })

  it('finds values changed at the vendor (exit 7), naming the key and field, with values only when asked', async () => {
    await run()
    await vendor(loops.url, 'PUT', '/v1/contacts/update', bearer('loops-test-key'), { email: 'u1@example.com', firstName: 'Changed' })
    await vendor(braze.url, 'POST', '/users/track', bearer('braze-test-key'), { attributes: [{ external_id: 'u2', score: 999 }] })
    await vendor(clevertap.url, 'POST', '/1/upload', clevertapAuth, {
      d: [{ type: 'profile', identity: 'u3', profileData: { Plan: 'gold' } }],
    })
    await vendor(courier.url, 'POST', '/profiles/u4', bearer('courier-test-token'), { profile: { given_name: 'Changed' } })

    const text = await cli('verify', '--from-dir', dir)
    expect(text.code).toBe(7)
    expect(text.stdout).toContain('    different      u1@example.com: firstName')
    expect(text.stdout).toContain('    different      u2: score')
    expect(text.stdout).toContain('    different      u3: Plan')
    expect(text.stdout).toContain('    different      u4: given_name')
    expect(text.stdout).not.toContain('Changed')
    expect(text.stdout).not.toContain('999')

    const { code, report } = await verifyJson('--show-values')
    expect(code).toBe(7)
    expect(report.drift).toBe(true)
    expect(syncOf(report, 'braze-users').findings).toEqual([
      { kind: 'different', key: 'u2', fields: [{ field: 'score', expected: 20, actual: 999 }] },
    ])
    expect(syncOf(report, 'loops-contacts').counts).toMatchObject({ read: 4, inSync: 3, different: 1 })
  })

  it('finds records deleted at the vendor as missing', async () => {
    await run()
    await vendor(braze.url, 'POST', '/users/delete', bearer('braze-test-key'), { external_ids: ['u3'] })
    await vendor(loops.url, 'POST', '/v1/contacts/delete', bearer('loops-test-key'), { email: 'u2@example.com' })
    await vendor(courier.url, 'DELETE', '/lists/newsletter.weekly/subscriptions/u1', bearer('courier-test-token'))

    const { code, report } = await verifyJson()
    expect(code).toBe(7)
    expect(syncOf(report, 'braze-users').findings).toEqual([{ kind: 'missing', key: 'u3' }])
    expect(syncOf(report, 'loops-contacts').findings).toEqual([{ kind: 'missing', key: 'u2@example.com' }])
    expect(syncOf(report, 'courier-newsletter').findings).toEqual([
      { kind: 'missing', key: 'u1', detail: 'not subscribed to list newsletter.weekly' },
    ])
    expect(syncOf(report, 'courier-profiles').counts).toMatchObject({ inSync: 4, missing: 0 })
  })

  it('finds records a mirror removed that are back at the vendor as still present', async () => {
    await run()
    await sql(`delete from users where user_id = 'u4'`)
    await sql(`update users set subscribed = false where user_id = 'u1'`)
    await run()
    const clean = await verifyJson()
    expect(clean.code, JSON.stringify(clean.report, null, 2)).toBe(0)
    expect(syncOf(clean.report, 'braze-users').counts).toMatchObject({ read: 3, inSync: 3, removedRead: 1, stillPresent: 0 })
    expect(syncOf(clean.report, 'loops-contacts').counts).toMatchObject({ removedRead: 1, stillPresent: 0 })
    expect(syncOf(clean.report, 'courier-newsletter').counts).toMatchObject({ read: 2, removedRead: 2, stillPresent: 0 })

    await vendor(braze.url, 'POST', '/users/track', bearer('braze-test-key'), {
      attributes: [{ external_id: 'u4', email: 'u4@example.com' }],
    })
    await vendor(loops.url, 'PUT', '/v1/contacts/update', bearer('loops-test-key'), { email: 'u4@example.com' })
    await vendor(courier.url, 'PUT', '/lists/newsletter.weekly/subscriptions/u1', bearer('courier-test-token'), {})
    const text = await cli('verify', '--from-dir', dir)
    expect(text.code).toBe(7)
    expect(text.stdout).toMatch(/braze-users .*\n.*removed by mirror: 1 read, 1 still present\n {4}still present {2}u4 \(removed \d{4}-/)
    expect(text.stdout).toMatch(/ {4}still present {2}u4@example.com \(removed /)
    expect(text.stdout).toMatch(/courier-newsletter .*\n.*\n {4}still present {2}u1 \(removed /)
  })

  it('counts rows changed in the model since the run as pending, not drift', async () => {
    await run()
    await sql(`update users set plan = 'enterprise' where user_id in ('u1', 'u2')`)
    const { code, report } = await verifyJson('braze-users', 'courier-profiles')
    expect(code).toBe(0)
    expect(syncOf(report, 'braze-users').counts).toMatchObject({ read: 2, inSync: 2, pending: 2, different: 0 })
    // courier-profiles does not map `plan`: its rows still have the hash it sent.
    expect(syncOf(report, 'courier-profiles').counts).toMatchObject({ read: 4, inSync: 4, pending: 0 })
  })

  it('reads only --sample N records', async () => {
    await run()
    const finds = () => loops.requests().filter((r) => r.path === '/v1/contacts/find').length
    const before = finds()
    const { code, report } = await verifyJson('loops-contacts', '--sample', '2')
    expect(code).toBe(0)
    expect(finds() - before).toBe(2)
    expect(syncOf(report, 'loops-contacts').counts).toMatchObject({ read: 2, inSync: 2 })
  })

  it('writes a markdown table without model values', async () => {
    await run()
    await vendor(braze.url, 'POST', '/users/delete', bearer('braze-test-key'), { external_ids: ['u1'] })
    const markdown = await cli('verify', '--from-dir', dir, '--format', 'markdown')
    expect(markdown.code).toBe(7)
    expect(markdown.stdout).toContain('| Sync | Destination | Read | In sync | Missing | Different | Still present | Pending | Notes |')
    expect(markdown.stdout).toContain('| `braze-users` | braze user (mirror) | 4 | 3 | 1 | 0 | 0 | 0 | :warning: drift |')
    expect(markdown.stdout).toContain('| `braze-events` | braze event (send) | | | | | | | not verifiable:')
    expect(markdown.stdout).toContain('<details><summary><code>braze-users</code>: drifted records</summary>')
    expect(markdown.stdout).toContain('| `u1` | missing |  |')
    expect(markdown.stdout).not.toContain('Name1')
  })

  it('exits 1 with the destination and endpoint named when the vendor refuses the key', async () => {
    await run()
    process.env['VERIFY_TEST_BRAZE_KEY'] = 'not-the-key'
    try {
      const result = await cli('verify', 'braze-users', 'braze-events', '--from-dir', dir)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(
        'ERROR DESTINATION_AUTH: destination "braze": Braze refused the API key (HTTP 401, POST /users/export/ids)',
      )
      expect(result.stdout).toContain('not verifiable')
      expect(result.stdout).not.toContain('not-the-key')
    } finally {
      process.env['VERIFY_TEST_BRAZE_KEY'] = 'braze-test-key'
    }
  })
})
