import { runCli } from '../helpers/run-cli.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  EMULATOR_DEFAULT_CREDENTIALS,
  startBrazeEmulator,
  startCleverTapEmulator,
  startCourierEmulator,
  startLoopsEmulator,
  type BrazeEmulator,
  type CleverTapEmulator,
  type CourierEmulator,
  type LoopsEmulator,
} from '../../providers/emulators.js'
import type { FaultRule } from '../../src/emulators/fault-rule.js'
import { SyncWorkspace, syncYaml } from './helpers/sync-workspace.js'

/*
 * "Synced" means the vendor said so in its documented success answer. Each vendor's delivery
 * endpoint is made to answer something else with a success-looking status (a proxy's login page,
 * truncated JSON, an empty body, a body of the right type that says no or accounts for nothing):
 * no row may be recorded as synced, the run is partial and says why, and once the vendor answers
 * properly the next run delivers every row. An event answered so is of unknown outcome: listed,
 * never sent again.
 */

interface Vendors {
  loops: LoopsEmulator
  braze: BrazeEmulator
  clevertap: CleverTapEmulator
  courier: CourierEmulator
}

let vendors: Vendors
let workspace: SyncWorkspace

const CREDENTIALS = {
  UA_LOOPS: EMULATOR_DEFAULT_CREDENTIALS.loops.apiKey,
  UA_BRAZE: EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey,
  UA_CLEVERTAP: EMULATOR_DEFAULT_CREDENTIALS.clevertap.passcode,
  UA_COURIER: EMULATOR_DEFAULT_CREDENTIALS.courier.authToken,
}

/** One sync per vendor, the endpoint its rows go to, and how many model rows the vendor holds. */
const SYNCS = {
  loops: {
    spec: `object: contact\nbehavior: upsert\nkey: { column: email, field: email }\nmappings:\n  - { column: name, field: firstName }`,
    match: { method: 'POST', path: '/v1/contacts/create' },
    held: () => vendors.loops.state().contacts.length,
  },
  braze: {
    spec: `object: user\nbehavior: upsert\nkey: { column: id, field: external_id }\nmappings:\n  - { column: email }`,
    match: { method: 'POST', path: '/users/track' },
    held: () => vendors.braze.state().users.length,
  },
  clevertap: {
    spec: `object: profile\nbehavior: upsert\nkey: { column: id, field: identity }\nmappings:\n  - { column: email, field: Email }`,
    match: { method: 'POST', path: '/1/upload' },
    held: () => vendors.clevertap.state().profiles.length,
  },
  courier: {
    spec: `object: profile\nbehavior: upsert\nkey: { column: id, field: recipient_id }\nmappings:\n  - { column: email }`,
    match: { method: 'POST', path: '/profiles/*' },
    held: () => Object.keys(vendors.courier.state().profiles).length,
  },
} as const
type Vendor = keyof typeof SYNCS

/** Answers with a success-looking status that are not the vendor's documented success. */
const COMMON_CASES: Record<string, Omit<Extract<FaultRule, { kind: 'status' }>, 'kind' | 'match'>> = {
  'an HTML login page with 200': { status: 200, bodyText: '<html><body>Sign in to continue</body></html>', contentType: 'text/html' },
  'truncated JSON with 200': { status: 200, bodyText: '{"success": tr', contentType: 'application/json' },
  'an empty 200': { status: 200, bodyText: '' },
}

/** A body of the vendor's own kind that does not say the records were taken. */
const VENDOR_CASES: Record<Vendor, { name: string; fault: Omit<Extract<FaultRule, { kind: 'status' }>, 'kind' | 'match'> }> = {
  loops: { name: 'Loops {"success": false} with 200', fault: { status: 200, body: { success: false, message: 'not now' } } },
  braze: { name: "a Braze 201 whose body is not Braze's", fault: { status: 201, body: { ok: true } } },
  clevertap: {
    name: 'a CleverTap upload answered "success" with nothing processed',
    fault: { status: 200, body: { status: 'success', processed: 0, unprocessed: [] } },
  },
  courier: { name: 'a Courier 200 without its SUCCESS status', fault: { status: 200, body: {} } },
}

beforeAll(async () => {
  const [loops, braze, clevertap, courier] = await Promise.all([
    startLoopsEmulator({ rateLimit: { limit: 10_000, windowMs: 1000 } }),
    startBrazeEmulator(),
    startCleverTapEmulator(),
    startCourierEmulator(),
  ])
  vendors = { loops, braze, clevertap, courier }
  workspace = await SyncWorkspace.create(
    [
      destination('loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: UA_LOOPS } }`),
      destination('braze', `{ type: braze, restEndpoint: '${braze.url}', apiKey: { secret: UA_BRAZE } }`),
      destination(
        'clevertap',
        `{ type: clevertap, baseUrl: '${clevertap.url}', accountId: ${EMULATOR_DEFAULT_CREDENTIALS.clevertap.accountId}, region: eu1, passcode: { secret: UA_CLEVERTAP } }`,
      ),
      destination('courier', `{ type: courier, baseUrl: '${courier.url}', authToken: { secret: UA_COURIER } }`),
    ].join('---\n'),
    CREDENTIALS,
  )
  for (const [vendor, sync] of Object.entries(SYNCS)) {
    await workspace.write(
      `${vendor}.yaml`,
      syncYaml(`${vendor}-people`, `source: warehouse\nmodel: { table: people }\ndestination: ${vendor}\n${sync.spec}`),
    )
  }
  await workspace.write(
    'events.yaml',
    syncYaml(
      'braze-events',
      `source: warehouse\nmodel: { table: events }\ndestination: braze\nobject: event\nbehavior: send\nbackfill: true\nkey: { column: event_id }\nmappings:\n  - { column: user_id, field: external_id }\n  - { constant: signed_up, field: name }`,
    ),
  )
  Object.assign(process.env, CREDENTIALS)
})

afterAll(async () => {
  await workspace.dispose()
  await Promise.all([vendors.loops.stop(), vendors.braze.stop(), vendors.clevertap.stop(), vendors.courier.stop()])
  for (const name of Object.keys(CREDENTIALS)) Reflect.deleteProperty(process.env, name)
})

function destination(name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: ${name} }\nspec: ${spec}\n`
}

async function freshModel(): Promise<void> {
  for (const emulator of [vendors.loops, vendors.braze, vendors.clevertap, vendors.courier]) emulator.reset()
  await workspace.sql(
    `create or replace table people as select 'p' || i as id, 'p' || i || '@example.com' as email, 'Name ' || i as name from range(1, 4) t(i)`,
  )
  await workspace.sql(`create or replace table events as select 'e' || i as event_id, 'p' || i as user_id from range(1, 4) t(i)`)
  // Each case starts from nothing: the syncs' state goes with the emulators' data.
  await workspace.sql(`drop schema if exists outflow cascade`)
}

const cli = runCli

interface JsonResult {
  sync: string
  status: string
  reason?: string
  counts: { synced: number; failed: number; unknown: number }
}

async function runJson(...syncs: string[]): Promise<{ code: number; results: JsonResult[] }> {
  const run = await cli('run', '--from-dir', workspace.dir, '--json', '--max-consecutive-failures', '1', ...syncs)
  return { code: run.code, results: (JSON.parse(run.stdout) as { results: JsonResult[] }).results }
}

describe.each(Object.keys(SYNCS) as Vendor[])('%s: an answer that is not the documented success', (vendor) => {
  const cases = [...Object.entries(COMMON_CASES), [VENDOR_CASES[vendor].name, VENDOR_CASES[vendor].fault] as const]
  it.each(cases)('%s: no row counts as synced, the run is partial and says why; the next run delivers them', async (_, fault) => {
    await freshModel()
    vendors[vendor].setFaults([{ kind: 'status', ...fault, match: SYNCS[vendor].match, count: 1000 }])
    const first = await runJson(`${vendor}-people`)
    expect(first.code).toBe(1)
    const [result] = first.results
    expect(result).toMatchObject({ status: 'partial', counts: { synced: 0, failed: 3 } })
    expect(result?.reason).toMatch(/unexpected/)
    expect(SYNCS[vendor].held()).toBe(0)
    // Nothing was recorded as delivered: the snapshot is empty and the run history says why.
    expect(await workspace.sql(`select count(*)::int as n from outflow.snapshot__${vendor}_people`)).toEqual([{ n: 0 }])
    const runs = await cli('runs', `${vendor}-people`, '--from-dir', workspace.dir, '--json')
    expect((JSON.parse(runs.stdout) as { runs: { status: string; reason: string }[] }).runs[0]).toMatchObject({
      status: 'partial',
      reason: expect.stringMatching(/unexpected/) as unknown,
    })

    vendors[vendor].setFaults([])
    const second = await runJson(`${vendor}-people`)
    expect(second.code).toBe(0)
    expect(second.results[0]).toMatchObject({ status: 'succeeded', counts: { synced: 3, failed: 0 } })
    expect(SYNCS[vendor].held()).toBe(3)
  })
})

describe('an event answered unexpectedly', () => {
  it('is of unknown outcome: the run is partial, names `outflow rejected`, and the event is never sent again', async () => {
    await freshModel()
    vendors.braze.setFaults([{ kind: 'status', status: 200, bodyText: '<html>proxy</html>', contentType: 'text/html', count: 1000 }])
    const first = await runJson('braze-events')
    expect(first.code).toBe(1)
    expect(first.results[0]).toMatchObject({ status: 'partial', counts: { synced: 0, failed: 0, unknown: 3 } })
    expect(first.results[0]?.reason).toMatch(/3 events of unknown outcome, never sent again; see `outflow rejected braze-events`/)
    const rejected = await cli('rejected', 'braze-events', '--from-dir', workspace.dir)
    expect(rejected.stdout).toMatch(
      /e1 .*\n {2}outcome unknown: Braze answered POST \/users\/track unexpectedly: HTTP 200 with a body that is not JSON \(text\/html\)/,
    )

    vendors.braze.setFaults([])
    const second = await runJson('braze-events')
    expect(second.results[0]).toMatchObject({ status: 'succeeded', counts: { synced: 0, unknown: 0 } })
    expect(vendors.braze.requests().filter((r) => r.path === '/users/track')).toHaveLength(1)
  })
})

describe('outflow check', () => {
  it.each(Object.keys(SYNCS) as Vendor[])('%s: a proxy page answering the credentials probe with 200 is not ok', async (vendor) => {
    vendors[vendor].setFaults([{ kind: 'status', status: 200, bodyText: '<html>Sign in</html>', contentType: 'text/html', count: 10 }])
    try {
      const check = await cli('check', '--dir', workspace.dir, vendor)
      expect(check.code).toBe(1)
      expect(check.stdout + check.stderr).toMatch(/unexpectedly: HTTP 200 with a body that is not JSON \(text\/html\)/)
    } finally {
      vendors[vendor].setFaults([])
    }
    const ok = await cli('check', '--dir', workspace.dir, vendor)
    expect(ok.code).toBe(0)
  })
})
