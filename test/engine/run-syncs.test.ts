import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { listRejected } from '../../src/warehouse/state/rejected-rows.js'
import { listRuns } from '../../src/warehouse/state/runs.js'
import { acquireLease } from '../../src/warehouse/state/leases.js'
import { SyncWorkspace, syncYaml } from './helpers/sync-workspace.js'

let braze: BrazeEmulator
let workspace: SyncWorkspace

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
})
afterAll(() => braze.stop())
beforeEach(async () => {
  braze.reset()
  workspace = await SyncWorkspace.create(
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: BRAZE_API_KEY } }\n`,
    { BRAZE_API_KEY: 'braze-test-key' },
  )
  await workspace.sql(`create table people (id varchar, email varchar, plan varchar, score integer)`)
  await workspace.sql(`create table events (event_id varchar, user_id varchar, name varchar, occurred_at timestamp, amount decimal(10,2))`)
})
afterEach(() => workspace.dispose())

const usersSync = (behavior: 'upsert' | 'mirror', extra = '') =>
  syncYaml(
    'braze-users',
    `
source: warehouse
model: { table: people }
destination: braze
object: user
behavior: ${behavior}
key: { column: id, field: external_id }
mappings:
  - { column: email }
  - { column: plan }
  - { column: score, type: number }
${extra}`,
  )

const eventsSync = (backfill: boolean) =>
  syncYaml(
    'braze-events',
    `
source: warehouse
model: { table: events }
destination: braze
object: event
behavior: send
key: { column: event_id }
mappings:
  - { column: user_id, field: external_id }
  - { column: name }
  - { column: occurred_at, field: time }
  - { column: amount, type: number }
backfill: ${backfill}`,
  )

async function addPeople(count: number, from = 1): Promise<void> {
  await workspace.sql(
    `insert into people select 'u' || i, 'u' || i || '@example.com', case when i % 2 = 0 then 'pro' else 'free' end, i from range(${from}, ${from + count}) t(i)`,
  )
}

async function addEvents(count: number, from = 1): Promise<void> {
  await workspace.sql(
    `insert into events select 'e' || i, 'u' || (i % 7), 'invoice_paid', timestamp '2026-11-01 10:00:00' + to_seconds(i), i / 4 from range(${from}, ${from + count}) t(i)`,
  )
}

function brazeUsers(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(braze.state().users.map((u) => [u.external_id ?? '', { ...u.attributes, ...u.custom_attributes }]))
}

function trackRequests(): number {
  return braze.requests().filter((r) => r.path === '/users/track').length
}

describe('runner: upsert', () => {
  it('sends every row on the first run, nothing when nothing changed, and only the changes after', async () => {
    await workspace.write('users.yaml', usersSync('upsert'))
    await addPeople(200)

    const first = await workspace.runOne('braze-users')
    expect(first).toMatchObject({ status: 'succeeded', counts: { added: 200, synced: 200, rejected: 0, failed: 0 } })
    expect(Object.keys(brazeUsers())).toHaveLength(200)
    expect(brazeUsers()['u7']).toMatchObject({ email: 'u7@example.com', plan: 'free', score: 7 })
    expect(trackRequests()).toBe(Math.ceil(200 / 75))

    braze.reset()
    const idle = await workspace.runOne('braze-users')
    expect(idle).toMatchObject({ status: 'succeeded', counts: { added: 0, changed: 0, synced: 0 }, deliveries: 0 })
    expect(braze.requests()).toHaveLength(0)

    await workspace.sql(`update people set plan = 'enterprise' where id in ('u1', 'u2')`)
    await addPeople(3, 201)
    const delta = await workspace.runOne('braze-users')
    expect(delta).toMatchObject({ counts: { added: 3, changed: 2, synced: 5 } })
    expect(trackRequests()).toBe(1)
    const sent = braze
      .state()
      .users.map((u) => u.external_id)
      .sort()
    expect(sent).toEqual(['u1', 'u2', 'u201', 'u202', 'u203'])
    expect(brazeUsers()['u1']).toMatchObject({ plan: 'enterprise' })

    const runs = await listRuns(await workspace.warehouse(), 'outflow', 'braze-users')
    expect(runs.map((r) => [r.status, r.synced])).toEqual([
      ['succeeded', 5],
      ['succeeded', 0],
      ['succeeded', 200],
    ])
  })

  it('refuses rows whose values do not fit their field, records why, and sends them once fixed', async () => {
    await workspace.write('users.yaml', usersSync('upsert', '  - { column: plan, field: trial, type: boolean }'))
    await workspace.sql(
      `insert into people values ('u1', 'a@example.com', 'yes', 1), ('u2', 'b@example.com', 'maybe', 2), (null, 'c@example.com', 'no', 3)`,
    )

    const first = await workspace.runOne('braze-users')
    expect(first).toMatchObject({ status: 'succeeded', counts: { synced: 1, rejected: 2 } })
    expect(Object.keys(brazeUsers())).toEqual(['u1'])
    expect(brazeUsers()['u1']).toMatchObject({ trial: true })
    const rejected = await listRejected(await workspace.warehouse(), 'outflow', 'braze-users')
    expect(rejected.map((r) => [r.key, r.reason])).toEqual(
      expect.arrayContaining([
        ['u2', 'trial: "maybe" is not a boolean (true/false, yes/no, 1/0)'],
        ['', '1 row has a null key'],
      ]),
    )

    await workspace.sql(`update people set plan = 'no' where id = 'u2'`)
    const fixed = await workspace.runOne('braze-users')
    expect(fixed.counts).toMatchObject({ synced: 1 })
    expect(brazeUsers()['u2']).toMatchObject({ trial: false })
    const left = await listRejected(await workspace.warehouse(), 'outflow', 'braze-users')
    expect(left.map((r) => r.key)).toEqual([''])
  })
})

describe('runner: mirror safety', () => {
  it('deletes what left the model, never on an empty model, never beyond maxDeletes', async () => {
    await workspace.write('users.yaml', usersSync('mirror', 'maxDeletes: 10%'))
    await addPeople(50)
    await workspace.runOne('braze-users')
    expect(Object.keys(brazeUsers())).toHaveLength(50)

    await workspace.sql(`delete from people where id in ('u1', 'u2', 'u3')`)
    const removed = await workspace.runOne('braze-users')
    expect(removed).toMatchObject({ status: 'succeeded', counts: { removed: 3, synced: 3 } })
    expect(Object.keys(brazeUsers())).toHaveLength(47)
    expect(brazeUsers()['u1']).toBeUndefined()

    await workspace.sql(`delete from people where score <= 20`)
    const tooMany = await workspace.runOne('braze-users')
    expect(tooMany.status).toBe('failed')
    expect(tooMany.error?.code).toBe('DELETE_LIMIT')
    expect(tooMany.error?.message).toContain('more than maxDeletes 10% (4 records)')
    expect(Object.keys(brazeUsers())).toHaveLength(47)

    await workspace.sql(`delete from people`)
    const empty = await workspace.runOne('braze-users')
    expect(empty.error?.message).toContain('its model returned no rows')
    expect(Object.keys(brazeUsers())).toHaveLength(47)
  })
})

describe('runner: send', () => {
  it('starts from now without backfill, then sends each new event exactly once', async () => {
    await workspace.write('events.yaml', eventsSync(false))
    await addEvents(30)
    const first = await workspace.runOne('braze-events')
    expect(first).toMatchObject({ status: 'succeeded', counts: { baselined: 30, synced: 0 } })
    expect(braze.state().events).toHaveLength(0)

    await addEvents(80, 31)
    const second = await workspace.runOne('braze-events')
    expect(second).toMatchObject({ status: 'succeeded', counts: { added: 80, synced: 80 } })
    const events = braze.state().events
    expect(events).toHaveLength(80)
    expect(events.find((e) => e.properties['amount'] === 31 / 4)).toMatchObject({ name: 'invoice_paid', external_id: 'u3' })

    // A changed event is not an event to send again.
    await workspace.sql(`update events set amount = 0`)
    const third = await workspace.runOne('braze-events')
    expect(third.counts).toMatchObject({ added: 0, synced: 0 })
    expect(braze.state().events).toHaveLength(80)
  })

  it('backfills the rows already in the model when the spec asks', async () => {
    await workspace.write('events.yaml', eventsSync(true))
    await addEvents(20)
    const first = await workspace.runOne('braze-events')
    expect(first.counts).toMatchObject({ baselined: 0, synced: 20 })
    expect(braze.state().events).toHaveLength(20)
  })

  it('never repeats an event whose request got no answer, and reports it', async () => {
    await workspace.write('events.yaml', eventsSync(true))
    await addEvents(10)
    braze.setFaults([{ kind: 'drop', match: { path: '/users/track' }, count: 1 }])
    const first = await workspace.runOne('braze-events')
    expect(first).toMatchObject({ counts: { unknown: 10, synced: 0 } })
    const second = await workspace.runOne('braze-events')
    expect(second.counts).toMatchObject({ added: 0, synced: 0 })
    const rejected = await listRejected(await workspace.warehouse(), 'outflow', 'braze-events')
    expect(rejected).toHaveLength(10)
    expect(rejected[0]?.reason).toMatch(/^outcome unknown: .*not sent again/)
  })
})

describe('runner: vendor faults', () => {
  it('completes with the model at the destination when a share of requests fail with 500 or 429', async () => {
    await workspace.write('users.yaml', usersSync('upsert'))
    await addPeople(1500)
    braze.setFaults([
      { kind: 'status', status: 500, probability: 0.3, seed: 7, match: { path: '/users/track' } },
      { kind: 'status', status: 429, count: 3, retryAfterSeconds: 0, match: { path: '/users/track' } },
    ])
    const result = await workspace.runOne('braze-users')
    expect(result).toMatchObject({ status: 'succeeded', counts: { synced: 1500, failed: 0 } })
    expect(result.retries).toBeGreaterThan(0)
    expect(Object.keys(brazeUsers())).toHaveLength(1500)
  })

  it('stops on a wrong API key with an error naming the destination, and records nothing as sent', async () => {
    await workspace.write('users.yaml', usersSync('upsert'))
    await addPeople(100)
    const result = await workspace.runOne('braze-users', { credentials: { BRAZE_API_KEY: 'wrong-key-123' } })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('DESTINATION_AUTH')
    expect(result.error?.message).toContain('braze')
    expect(result.error?.message).not.toContain('wrong-key-123')
    expect(await workspace.sql(`select count(*) as n from outflow.snapshot__braze_users`)).toEqual([{ n: 0 }])
    const retry = await workspace.runOne('braze-users')
    expect(retry.counts).toMatchObject({ added: 100, synced: 100 })
  })

  it('skips a sync that another runner holds', async () => {
    await workspace.write('users.yaml', usersSync('upsert'))
    await addPeople(5)
    await acquireLease(await workspace.warehouse(), 'outflow', 'braze-users', 'someone-else', 60_000)
    const result = await workspace.runOne('braze-users')
    expect(result).toMatchObject({ status: 'skipped', skipped: 'another runner holds this sync' })
    expect(braze.requests()).toHaveLength(0)
  })
})
