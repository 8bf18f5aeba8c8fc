import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import {
  startBrazeEmulator,
  startLoopsEmulator,
  type BrazeEmulator,
  type EmulatorExchange,
  type FaultRule,
  type LoopsEmulator,
} from '../../providers/emulators.js'
import { listRejected } from '../../src/warehouse/state/rejected-rows.js'
import { listRuns } from '../../src/warehouse/state/runs.js'
import { CliProcess, waitUntil } from './helpers/cli-process.js'
import { withDuckdbFile } from './helpers/duckdb-file.js'
import { RefusingProxy } from './helpers/refusing-proxy.js'
import { SyncWorkspace, syncYaml } from './helpers/sync-workspace.js'

/*
 * The runner under faults: a runner killed mid-run, a vendor that fails a share of requests or
 * rate-limits in bursts, refused credentials, and a batch refused as a whole for one bad record.
 * Each test ends with the destination compared to the model, record by record.
 */

const KEYS = { users: 'braze-users-key', events: 'braze-events-key', loops: 'loops-test-key' }

/** An exchange with an emulator (request body and answer), and when it was answered. */
type Exchange = EmulatorExchange & { at: number }

/** Exchanges of the Braze emulators, by emulator. */
const exchanges = new Map<string, Exchange[]>()
const recording = (name: string) => (exchange: EmulatorExchange) => exchanges.get(name)?.push({ ...exchange, at: Date.now() })
const exchangesOf = (name: string): Exchange[] => exchanges.get(name) ?? []

let brazeUsers: BrazeEmulator
let brazeEvents: BrazeEmulator
let loops: LoopsEmulator
let workspace: SyncWorkspace

/** SQL on the model's warehouse: in this process, or through a file handed back and forth with a CLI process. */
type Query = (sql: string) => Promise<Record<string, unknown>[]>
const inProcess: Query = (sql) => workspace.sql(sql)
const warehouseFile = () => join(workspace.dir, 'warehouse.duckdb')

beforeAll(async () => {
  ;[brazeUsers, brazeEvents, loops] = await Promise.all([
    startBrazeEmulator({ apiKeys: [KEYS.users], requestLogSize: 50_000, onExchange: recording('braze-users') }),
    startBrazeEmulator({ apiKeys: [KEYS.events], requestLogSize: 50_000, onExchange: recording('braze-events') }),
    // The engine's gate keeps Loops at 10 requests a second; the emulator's own bucket is off, so that
    // a tie at the edge of a second (providers/loops/README.md) does not cost the CLI a backoff.
    startLoopsEmulator({ apiKeys: [KEYS.loops], rateLimit: false, requestLogSize: 50_000 }),
  ])
})
afterAll(async () => {
  await Promise.all([brazeUsers.stop(), brazeEvents.stop(), loops.stop()])
})
beforeEach(async () => {
  for (const emulator of [brazeUsers, brazeEvents, loops]) emulator.reset()
  exchanges.set('braze-users', [])
  exchanges.set('braze-events', [])
  workspace = await SyncWorkspace.create(
    [
      destination('braze-users', `{ type: braze, restEndpoint: '${brazeUsers.url}', apiKey: { secret: BRAZE_USERS_KEY } }`),
      destination('braze-events', `{ type: braze, restEndpoint: '${brazeEvents.url}', apiKey: { secret: BRAZE_EVENTS_KEY } }`),
      destination('loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: LOOPS_KEY } }`),
    ].join('---\n'),
    { BRAZE_USERS_KEY: KEYS.users, BRAZE_EVENTS_KEY: KEYS.events, LOOPS_KEY: KEYS.loops },
  )
})
afterEach(() => workspace.dispose())

function destination(name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: ${name} }\nspec: ${spec}\n`
}

const usersSync = (destinationName = 'braze-users', name = 'braze-users') =>
  syncYaml(
    name,
    `
source: warehouse
model: { table: people }
destination: ${destinationName}
object: user
behavior: mirror
key: { column: id, field: external_id }
mappings:
  - { column: email }
  - { column: plan }
  - { column: score, type: number }`,
  )

/** Events carry their id as a property, so that the destination tells which events it holds, and how often. */
const eventsSync = (destinationName = 'braze-events') =>
  syncYaml(
    'braze-events',
    `
source: warehouse
model: { table: events }
destination: ${destinationName}
object: event
behavior: send
key: { column: event_id }
mappings:
  - { column: user_id, field: external_id }
  - { column: name }
  - { column: occurred_at, field: time }
  - { column: amount, type: number }
  - { column: event_id }
backfill: true`,
  )

const contactsSync = () =>
  syncYaml(
    'loops-contacts',
    `
source: warehouse
model: { table: contacts }
destination: loops
object: contact
behavior: mirror
key: { column: email, field: email }
mappings:
  - { column: first_name, field: firstName }
  - { column: plan }`,
  )

async function createModel(query: Query, sizes: { people?: number; events?: number; contacts?: number }): Promise<void> {
  await query(`create table people (id varchar, email varchar, plan varchar, score integer)`)
  await query(`create table events (event_id varchar, user_id varchar, name varchar, occurred_at timestamp, amount decimal(10,2))`)
  await query(`create table contacts (email varchar, first_name varchar, plan varchar)`)
  await addPeople(query, sizes.people ?? 0)
  await addEvents(query, sizes.events ?? 0)
  if ((sizes.contacts ?? 0) > 0)
    await query(
      `insert into contacts select 'c' || i || '@example.com', 'Name ' || i, 'plan-' || (i % 4) from range(1, ${(sizes.contacts ?? 0) + 1}) t(i)`,
    )
}

async function addPeople(query: Query, count: number, from = 1): Promise<void> {
  if (count === 0) return
  await query(
    `insert into people select 'u' || i, 'u' || i || '@example.com', case when i % 3 = 0 then 'pro' else 'free' end, i from range(${from}, ${from + count}) t(i)`,
  )
}

async function addEvents(query: Query, count: number, from = 1): Promise<void> {
  if (count === 0) return
  await query(
    `insert into events select 'e' || i, 'u' || (i % 50), 'invoice_paid', timestamp '2026-11-01 10:00:00' + to_seconds(i), i / 4 from range(${from}, ${from + count}) t(i)`,
  )
}

/** The model's users as Braze should hold them. */
async function modelUsers(query: Query): Promise<Record<string, { email: string; plan: string; score: number }>> {
  const rows = await query(`select id, email, plan, score from people`)
  return Object.fromEntries(
    rows.map((r) => [String(r['id']), { email: String(r['email']), plan: String(r['plan']), score: Number(r['score']) }]),
  )
}

/** Braze's users, in the model's shape. */
function destinationUsers(braze: BrazeEmulator): Record<string, { email: unknown; plan: unknown; score: unknown }> {
  return Object.fromEntries(
    braze
      .state()
      .users.map((u) => [
        u.external_id ?? '',
        { email: u.attributes['email'], plan: u.custom_attributes['plan'], score: u.custom_attributes['score'] },
      ]),
  )
}

async function modelEventIds(query: Query): Promise<string[]> {
  return (await query(`select event_id from events order by event_id`)).map((r) => String(r['event_id']))
}

/** The event id of every event Braze stored (an event sent twice is there twice). */
function destinationEventIds(braze: BrazeEmulator): string[] {
  return braze.state().events.map((e) => String(e.properties['event_id']))
}

async function modelContacts(query: Query): Promise<Record<string, { firstName: string; plan: string }>> {
  const rows = await query(`select email, first_name, plan from contacts`)
  return Object.fromEntries(rows.map((r) => [String(r['email']), { firstName: String(r['first_name']), plan: String(r['plan']) }]))
}

function destinationContacts(): Record<string, { firstName: unknown; plan: unknown }> {
  return Object.fromEntries(loops.state().contacts.map((c) => [String(c['email']), { firstName: c['firstName'], plan: c['plan'] }]))
}

function trackRequests(braze: BrazeEmulator): number {
  return braze.requests().filter((r) => r.path === '/users/track').length
}

/** The record keys a `/users/track` request carried: users' external ids, events' event ids. */
function keysOf(exchange: Exchange): string[] {
  const body = exchange.requestBody as { attributes?: { external_id: string }[]; events?: { properties: { event_id: string } }[] }
  return [...(body.attributes ?? []).map((a) => a.external_id), ...(body.events ?? []).map((e) => e.properties.event_id)]
}

/** The latest record per key of a sync's pending log: what a run recorded and no run merged yet. */
async function pendingLog(query: Query, sync: string): Promise<{ key: string; hash: unknown; op: string }[]> {
  const rows = await query(
    `select row_key, row_hash, op from outflow.pending__${sync.replaceAll('-', '_')} qualify row_number() over (partition by row_key order by seq desc) = 1`,
  )
  return rows.map((r) => ({ key: String(r['row_key']), hash: r['row_hash'], op: String(r['op']) }))
}

async function count(query: Query, sql: string): Promise<number> {
  return Number((await query(sql))[0]?.['n'])
}

const sorted = (values: Iterable<string>) => [...values].sort()

describe('a runner killed with SIGKILL mid-run, in a process of its own', () => {
  it('leaves every destination equal to the model after the next run, and sends no event twice', async () => {
    await workspace.write('users.yaml', usersSync())
    await workspace.write('events.yaml', eventsSync())
    await workspace.write('contacts.yaml', contactsSync())
    const file = warehouseFile()
    await withDuckdbFile(file, (db) => createModel((sql) => db.sql(sql), { people: 6000, events: 6000, contacts: 45 }))

    // Every /users/track request waits 250 ms at Braze: 80 batches of 75 per sync, 8 in flight, take
    // about 2.5 s; Loops takes 4.5 s for 45 contacts at 10 requests a second. The kill lands after
    // three rounds of each Braze sync or more, with 8 batches of each in flight, and a few contacts into Loops.
    const slow: FaultRule[] = [{ kind: 'delay', ms: 250, probability: 1, match: { path: '/users/track' } }]
    brazeUsers.setFaults(slow)
    brazeEvents.setFaults(slow)
    const first = CliProcess.start(['run', '--from-dir', workspace.dir], workspace.credentials)
    const contactWrites = () => loops.requests().filter((r) => r.path.startsWith('/v1/contacts/')).length
    await waitUntil(
      () => trackRequests(brazeEvents) >= 24 && trackRequests(brazeUsers) >= 24 && contactWrites() >= 5,
      'every sync to be under way',
      first,
    )
    const killed = await first.kill()
    expect(killed.signal).toBe('SIGKILL')
    // Requests in flight at the kill still reach Braze after their delay; wait for them to land.
    await new Promise((resolve) => setTimeout(resolve, 400))
    brazeUsers.setFaults([])
    brazeEvents.setFaults([])
    const atKill = {
      users: brazeUsers.state().users.length,
      events: brazeEvents.state().events.length,
      contacts: loops.state().contacts.length,
    }
    expect(atKill.users).toBeGreaterThan(0)
    expect(atKill.users).toBeLessThan(6000)
    expect(atKill.events).toBeGreaterThan(0)
    expect(atKill.events).toBeLessThan(6000)
    expect(atKill.contacts).toBeLessThan(45)

    // The dead runner's leases outlive it: a runner started now skips every sync, without a request.
    const requestsSoFar = () => brazeUsers.requests().length + brazeEvents.requests().length + loops.requests().length
    const before = requestsSoFar()
    const meanwhile = await CliProcess.run(['run', '--from-dir', workspace.dir], workspace.credentials)
    expect(meanwhile.code).toBe(0)
    expect(meanwhile.stdout.match(/^skipped .*: skipped, another runner holds this sync$/gm)).toHaveLength(3)
    expect(requestsSoFar()).toBe(before)

    const recorded = await withDuckdbFile(file, async (db) => {
      const query: Query = (sql) => db.sql(sql)
      const holders = await query(`select distinct holder from outflow.leases where expires_at > current_timestamp`)
      expect(holders).toHaveLength(1)
      expect(String(holders[0]?.['holder'])).toContain(`:${String(first.child.pid)}:`)
      // As if the leases' 60 s had passed (`outflow run` has no option to shorten them).
      await query(`update outflow.leases set expires_at = expires_at - to_seconds(61)`)
      // What the killed run recorded, unmerged: users the destination confirmed, events sent or about to be.
      const users = await pendingLog(query, 'braze-users')
      const events = await pendingLog(query, 'braze-events')
      const confirmedUsers = users.filter((r) => r.hash !== null && r.op === 'upsert').map((r) => r.key)
      // The model moves on before the next run: changed users, users gone (some the killed run
      // recorded as written), new events, renamed contacts.
      await query(`update people set plan = 'enterprise' where score % 250 = 0`)
      await query(
        `delete from people where id in (${confirmedUsers
          .slice(0, 10)
          .map((k) => `'${k}'`)
          .join(', ')})`,
      )
      await addEvents(query, 100, 6001)
      await query(`update contacts set first_name = 'Renamed' where email in ('c1@example.com', 'c45@example.com')`)
      return {
        confirmedUsers,
        confirmedEvents: events.filter((r) => r.hash !== null).map((r) => r.key),
        unconfirmedEvents: events.filter((r) => r.hash === null).map((r) => r.key),
      }
    })
    expect(recorded.confirmedUsers.length).toBeGreaterThan(10)
    expect(recorded.unconfirmedEvents.length).toBeGreaterThan(0)

    const second = await CliProcess.run(['run', '--from-dir', workspace.dir, '--json'], workspace.credentials)
    // Progress lines only (stderr is not a terminal), no error.
    expect(second.stderr).not.toContain('outflow:')
    expect(second.code).toBe(0)
    const results = (JSON.parse(second.stdout) as { results: { sync: string; status: string; counts: Record<string, number> }[] }).results
    expect(Object.fromEntries(results.map((r) => [r.sync, r.status]))).toEqual({
      'braze-users': 'succeeded',
      'braze-events': 'succeeded',
      'loops-contacts': 'succeeded',
    })

    await withDuckdbFile(file, async (db) => {
      const query: Query = (sql) => db.sql(sql)
      // Users and contacts: exactly the model, values included.
      expect(destinationUsers(brazeUsers)).toEqual(await modelUsers(query))
      expect(destinationContacts()).toEqual(await modelContacts(query))

      // Events: none twice, none unaccounted for. An event of unknown outcome (sent when the runner
      // died, or answered before it noted the answer) is reported and never sent again; every other
      // event of the model is at Braze once.
      const sent = destinationEventIds(brazeEvents)
      expect(new Set(sent).size).toBe(sent.length)
      const unknown = (await query(`select row_key, reason from outflow.rejected_rows where sync = 'braze-events'`)).map((r) => ({
        key: String(r['row_key']),
        reason: String(r['reason']),
      }))
      expect(unknown.every((r) => r.reason.startsWith('outcome unknown: an earlier run stopped while sending this event'))).toBe(true)
      const unknownKeys = new Set(unknown.map((r) => r.key))
      expect(sorted(unknownKeys)).toEqual(sorted(recorded.unconfirmedEvents))
      const model = await modelEventIds(query)
      const sentSet = new Set(sent)
      expect(model.filter((id) => !sentSet.has(id) && !unknownKeys.has(id))).toEqual([])
      const modelSet = new Set(model)
      expect(sent.filter((id) => !modelSet.has(id))).toEqual([])
      // The second run sent exactly what the first neither confirmed nor left in doubt.
      expect(results.find((r) => r.sync === 'braze-events')?.counts).toMatchObject({
        synced: 6100 - recorded.confirmedEvents.length - unknownKeys.size,
        failed: 0,
      })
    })
  }, 45_000)
})

describe('a vendor that fails a share of requests, or rate-limits in bursts', () => {
  it('completes with the model at the destination through 500s, 429 bursts and its own rate limit', async () => {
    // Braze's real limit is 3,000 requests per 3 s; this instance allows 10 a second, which the
    // engine does not know of (as when another tool shares the key): its 429s carry X-RateLimit-Reset.
    const limited = await startBrazeEmulator({
      apiKeys: [KEYS.users],
      rateLimits: { usersTrack: { limit: 10, windowMs: 1000 } },
      requestLogSize: 5000,
      onExchange: recording('limited'),
    })
    onTestFinished(() => limited.stop())
    exchanges.set('limited', [])
    await workspace.write(
      'limited.yaml',
      destination('braze-limited', `{ type: braze, restEndpoint: '${limited.url}', apiKey: { secret: BRAZE_USERS_KEY } }`),
    )
    await workspace.write('users.yaml', usersSync('braze-limited'))
    await createModel(inProcess, { people: 1500 })
    limited.setFaults([
      { kind: 'status', status: 429, count: 2, retryAfterSeconds: 1, match: { path: '/users/track' } },
      { kind: 'status', status: 429, count: 4, match: { path: '/users/track' } },
      { kind: 'status', status: 500, probability: 0.3, seed: 11, match: { path: '/users/track' } },
    ])

    const result = await workspace.runOne('braze-users', { retry: { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50 } })
    expect(result).toMatchObject({ status: 'succeeded', counts: { added: 1500, synced: 1500, failed: 0, rejected: 0 } })
    expect(destinationUsers(limited)).toEqual(await modelUsers(inProcess))

    const log = limited.requests()
    const faulted = (status: number) => log.filter((r) => r.status === status && r.faults?.includes('status')).length
    const limitedByBraze = log.filter((r) => r.status === 429 && r.faults === undefined).length
    expect(faulted(429)).toBe(6)
    expect(faulted(500)).toBeGreaterThan(0)
    expect(limitedByBraze).toBeGreaterThan(0)
    // Every request that did not succeed was retried, and each retry counted.
    expect(result.retries).toBe(log.length - 20)
    expect(result.deliveries).toBe(log.length)
  })

  it('waits as long as Retry-After says, and backs off briefly without it', async () => {
    await workspace.write('users.yaml', usersSync())
    await createModel(inProcess, { people: 50 })
    brazeUsers.setFaults([
      { kind: 'status', status: 429, count: 1, retryAfterSeconds: 1, match: { path: '/users/track' } },
      { kind: 'status', status: 429, count: 1, match: { path: '/users/track' } },
      { kind: 'status', status: 503, count: 1, retryAfterSeconds: 1, match: { path: '/users/track' } },
    ])
    const result = await workspace.runOne('braze-users', { retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 20 } })
    expect(result).toMatchObject({ status: 'succeeded', counts: { synced: 50 }, retries: 3 })
    const times = exchangesOf('braze-users').map((e) => [e.status, e.at] as const)
    expect(times.map(([status]) => status)).toEqual([429, 429, 503, 201])
    const gaps = times.slice(1).map(([, at], i) => at - (times[i]?.[1] ?? 0))
    // After a 429 with Retry-After: 1, a second; after a bare 429, the backoff (10-20 ms here); a 503's Retry-After counts too.
    expect(gaps[0]).toBeGreaterThanOrEqual(990)
    expect(gaps[1]).toBeLessThan(500)
    expect(gaps[2]).toBeGreaterThanOrEqual(990)
    expect(Object.keys(destinationUsers(brazeUsers))).toHaveLength(50)
  })

  it('leaves rows failed when retries run out, ends partial, and sends exactly those rows on the next run', async () => {
    await workspace.write('users.yaml', usersSync())
    await workspace.write('events.yaml', eventsSync())
    await createModel(inProcess, { people: 600, events: 600 })
    // 600 rows are 8 batches, all sent at once (8 in flight), with two tries each. The first 10
    // requests fail: every batch's first try and two retries, so 2 batches (150 rows) of each sync fail.
    const outage: FaultRule[] = [{ kind: 'status', status: 500, count: 10, match: { path: '/users/track' } }]
    brazeUsers.setFaults(outage)
    brazeEvents.setFaults(outage)
    const retry = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 200 }

    const first = await workspace.run(['braze-users', 'braze-events'], { retry })
    for (const result of first) {
      // Usually 2 batches of each (150 rows); 3 when a first try is sent after another batch's retry.
      expect(result).toMatchObject({ status: 'partial', counts: { added: 600, rejected: 0, unknown: 0 } })
      expect(result.counts.failed % 75).toBe(0)
      expect(result.counts.failed).toBeGreaterThanOrEqual(150)
      expect(result.counts.synced).toBe(600 - result.counts.failed)
    }
    const failedKeys = (name: string) => {
      const accepted = new Set(
        exchangesOf(name)
          .filter((e) => e.status === 201)
          .flatMap(keysOf),
      )
      return new Set(
        exchangesOf(name)
          .flatMap(keysOf)
          .filter((key) => !accepted.has(key)),
      )
    }
    const failedUsers = failedKeys('braze-users')
    const failedEvents = failedKeys('braze-events')
    const [users, events] = first
    expect(failedUsers.size).toBe(users?.counts.failed)
    expect(failedEvents.size).toBe(events?.counts.failed)
    expect(Object.keys(destinationUsers(brazeUsers))).toHaveLength(600 - failedUsers.size)
    expect(destinationEventIds(brazeEvents)).toHaveLength(600 - failedEvents.size)
    const runs = await listRuns(await workspace.warehouse(), 'outflow', 'braze-events')
    expect(runs[0]).toMatchObject({ status: 'partial', synced: 600 - failedEvents.size, failed: failedEvents.size })
    // A failed row is not a rejected one: nothing for a person to look at.
    expect(await listRejected(await workspace.warehouse(), 'outflow', 'braze-events')).toEqual([])

    exchanges.set('braze-users', [])
    exchanges.set('braze-events', [])
    const second = await workspace.run(['braze-users', 'braze-events'])
    expect(second.map((r) => [r.status, r.counts.added, r.counts.synced, r.counts.failed])).toEqual([
      ['succeeded', failedUsers.size, failedUsers.size, 0],
      ['succeeded', failedEvents.size, failedEvents.size, 0],
    ])
    expect(sorted(exchangesOf('braze-users').flatMap(keysOf))).toEqual(sorted(failedUsers))
    expect(sorted(exchangesOf('braze-events').flatMap(keysOf))).toEqual(sorted(failedEvents))
    expect(destinationUsers(brazeUsers)).toEqual(await modelUsers(inProcess))
    expect(sorted(destinationEventIds(brazeEvents))).toEqual(await modelEventIds(inProcess))
  })
})

describe('a wrong API key', () => {
  it('stops each sync of the destination at the first refusal, names the destination, never the key, and records nothing', async () => {
    await workspace.write('users.yaml', usersSync())
    await workspace.write('users_too.yaml', usersSync('braze-users', 'braze-users-too'))
    await workspace.write('events.yaml', eventsSync())
    const file = warehouseFile()
    await withDuckdbFile(file, (db) => createModel((sql) => db.sql(sql), { people: 1000, events: 600 }))
    const wrong = { ...workspace.credentials, BRAZE_USERS_KEY: 'wrong-users-key-123', BRAZE_EVENTS_KEY: 'wrong-events-key-456' }

    const run = await CliProcess.run(['run', '--from-dir', workspace.dir], wrong)
    expect(run.code).toBe(1)
    const refused = (name: string) =>
      `DESTINATION_AUTH: destination "${name}": Braze refused the API key (HTTP 401, POST /users/track); check the key and that restEndpoint is the key's instance`
    expect(run.stdout).toMatch(/^failed {4}braze-users \(braze-users user, mirror\): 1,000 added.*-> 0 synced, 0 rejected/m)
    expect(run.stdout).toContain(refused('braze-users'))
    expect(run.stdout).toContain(refused('braze-events'))
    // The other sync of the refused destination does not start.
    expect(run.stdout).toMatch(
      /^failed {4}braze-users-too .*: 0 added.*\[0 batches, 0\.0 s\]\n {10}why: DESTINATION_AUTH: destination "braze-users"/m,
    )
    expect(run.stdout).toContain('3 syncs: 0 succeeded, 0 partial, 3 failed, 0 skipped; 0 records synced')
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain('wrong-users-key-123')
      expect(output).not.toContain('wrong-events-key-456')
    }
    // Nothing after the refusal: only the requests already on their way (8 batches in flight at most).
    for (const braze of [brazeUsers, brazeEvents]) {
      const log = braze.requests()
      expect(log.length).toBeGreaterThan(0)
      expect(log.length).toBeLessThanOrEqual(8)
      expect(log.every((r) => r.status === 401)).toBe(true)
    }
    expect(brazeUsers.state().users).toEqual([])
    expect(brazeEvents.state().events).toEqual([])

    await withDuckdbFile(file, async (db) => {
      const query: Query = (sql) => db.sql(sql)
      for (const sync of ['braze_users', 'braze_users_too']) {
        expect(await count(query, `select count(*) as n from outflow.snapshot__${sync}`).catch(() => 0)).toBe(0)
        expect(await count(query, `select count(*) as n from outflow.pending__${sync}`).catch(() => 0)).toBe(0)
      }
      expect(await count(query, `select count(*) as n from outflow.snapshot__braze_events`)).toBe(0)
      expect(await count(query, `select count(*) as n from outflow.rejected_rows`)).toBe(0)
      const runs = await query(`select sync, status, error from outflow.runs order by sync`)
      expect(runs.map((r) => [r['sync'], r['status']])).toEqual([
        ['braze-events', 'failed'],
        ['braze-users', 'failed'],
      ])
      for (const r of runs)
        expect(String(r['error'])).toMatch(/^DESTINATION_AUTH: destination "braze-(users|events)": Braze refused the API key/)
    })

    // With the right key, every user is sent.
    const retry = await CliProcess.run(['run', 'braze-users', '--from-dir', workspace.dir], workspace.credentials)
    expect(retry.code).toBe(0)
    await withDuckdbFile(file, async (db) => expect(destinationUsers(brazeUsers)).toEqual(await modelUsers((sql) => db.sql(sql))))
  })

  // Each batch's intents are written before it is sent; a refused key must withdraw them, or the
  // events would never be sent although Braze refused every one.
  it('sends the events a wrong key kept from Braze once the key is right', async () => {
    await workspace.write('events.yaml', eventsSync())
    await createModel(inProcess, { events: 300 })
    const refused = await workspace.runOne('braze-events', { credentials: { BRAZE_EVENTS_KEY: 'wrong-events-key-456' } })
    expect(refused.error?.code).toBe('DESTINATION_AUTH')
    expect(brazeEvents.state().events).toEqual([])
    // No intent is left standing for an event Braze refused.
    expect((await pendingLog(inProcess, 'braze-events')).filter((r) => r.hash === null && r.op === 'upsert')).toEqual([])

    const retry = await workspace.runOne('braze-events')
    expect(retry.counts).toMatchObject({ added: 300, synced: 300 })
    expect(sorted(destinationEventIds(brazeEvents))).toEqual(await modelEventIds(inProcess))
    expect(await listRejected(await workspace.warehouse(), 'outflow', 'braze-events')).toEqual([])
  })
})

describe('a runner stopped with SIGINT (Ctrl+C)', () => {
  it('stops taking batches, exits 1, and sends no event twice', async () => {
    await workspace.write('events.yaml', eventsSync())
    const file = warehouseFile()
    await withDuckdbFile(file, (db) => createModel((sql) => db.sql(sql), { events: 3000 }))
    brazeEvents.setFaults([{ kind: 'delay', ms: 250, probability: 1, match: { path: '/users/track' } }])
    const first = CliProcess.start(['run', '--from-dir', workspace.dir, '--json'], workspace.credentials)
    await waitUntil(() => trackRequests(brazeEvents) >= 16, 'the sync to be under way', first)
    first.child.kill('SIGINT')
    const stopped = await first.exited
    // 130: stopped by SIGINT, as shells report it; the run says it was cancelled, and why.
    expect(stopped.code).toBe(130)
    const [result] = (JSON.parse(stopped.stdout) as { results: { status: string; error: { code: string } }[] }).results
    expect(result).toMatchObject({
      status: 'cancelled',
      error: { code: 'RUN_INTERRUPTED', message: 'stopped by a signal; batches in flight were recorded' },
      reason: 'RUN_INTERRUPTED: stopped by a signal; batches in flight were recorded',
    })
    const sentBefore = brazeEvents.state().events.length
    expect(sentBefore).toBeLessThan(3000)
    brazeEvents.setFaults([])

    const second = await CliProcess.run(['run', '--from-dir', workspace.dir, '--json'], workspace.credentials)
    expect(second.code).toBe(0)
    await withDuckdbFile(file, async (db) => {
      const query: Query = (sql) => db.sql(sql)
      const sent = destinationEventIds(brazeEvents)
      expect(new Set(sent).size).toBe(sent.length)
      const inDoubt = new Set((await query(`select row_key from outflow.rejected_rows`)).map((r) => String(r['row_key'])))
      const sentSet = new Set(sent)
      expect((await modelEventIds(query)).filter((id) => !sentSet.has(id) && !inDoubt.has(id))).toEqual([])
    })
  })

  // `outflow run --help`: "batches in flight finish and are recorded". A stopped runner starts no
  // new batch, and returns only once every batch in flight was answered and counted.
  it('has every batch in flight answered and counted when the run returns', async () => {
    await workspace.write('events.yaml', eventsSync())
    await createModel(inProcess, { events: 3000 })
    // Each request takes 1.5 s at Braze; the run is stopped once 8 batches (600 events) are on their way.
    brazeEvents.setFaults([{ kind: 'delay', ms: 1500, probability: 1, match: { path: '/users/track' } }])
    const arrived = () => brazeEvents.faults()[0]?.fired ?? 0
    const stop = new AbortController()
    const watch = setInterval(() => arrived() >= 8 && stop.abort(new Error('stopped by a signal')), 5)
    onTestFinished(() => clearInterval(watch))
    const result = await workspace.runOne('braze-events', { signal: stop.signal })
    const synced = result.counts.synced
    const atReturn = brazeEvents.state().events.length
    expect(result.error?.code).toBe('RUN_INTERRUPTED')
    // Nothing is still on its way: what Braze has now is all it gets, and what the run counted.
    await waitUntil(() => brazeEvents.requests().length === arrived(), 'the requests sent to be answered')
    expect({ synced, atReturn, later: brazeEvents.state().events.length }).toEqual({ synced: 600, atReturn: 600, later: 600 })
  })
})

describe('a batch the vendor refuses as a whole for one bad record', () => {
  it('is split until the bad record stands alone: only it is rejected, every other record is delivered once', async () => {
    // Braze answers a request it cannot read with a bare 400 `Bad Request`, naming no object. The
    // emulators check each object on their own, so a proxy plays that vendor: any request carrying
    // the poisoned user or event is refused whole.
    const refuse = ({ body }: { body: unknown }) => {
      const { attributes = [], events = [] } = (body ?? {}) as {
        attributes?: { email?: string }[]
        events?: { properties?: { event_id?: string } }[]
      }
      const poisoned = attributes.some((a) => a.email === 'poison@example.com') || events.some((e) => e.properties?.event_id === 'e150')
      return poisoned ? { status: 400, body: { message: 'Bad Request' } } : undefined
    }
    const usersProxy = await RefusingProxy.start(brazeUsers.url, refuse)
    const eventsProxy = await RefusingProxy.start(brazeEvents.url, refuse)
    onTestFinished(async () => {
      await Promise.all([usersProxy.stop(), eventsProxy.stop()])
    })
    await workspace.write(
      'proxied.yaml',
      [
        destination('users-via-proxy', `{ type: braze, restEndpoint: '${usersProxy.url}', apiKey: { secret: BRAZE_USERS_KEY } }`),
        destination('events-via-proxy', `{ type: braze, restEndpoint: '${eventsProxy.url}', apiKey: { secret: BRAZE_EVENTS_KEY } }`),
      ].join('---\n'),
    )
    await workspace.write('users.yaml', usersSync('users-via-proxy'))
    await workspace.write('events.yaml', eventsSync('events-via-proxy'))
    await createModel(inProcess, { people: 300, events: 300 })
    await inProcess(`update people set email = 'poison@example.com' where id = 'u150'`)

    const [users, events] = await workspace.run(['braze-users', 'braze-events'])
    for (const result of [users, events])
      expect(result).toMatchObject({ status: 'succeeded', counts: { added: 300, synced: 299, rejected: 1, failed: 0 } })
    // One batch of 75 holds the bad record: halving isolates it in 6 or 7 splits (75, 37, 18, 9, 4, 2,
    // 1 or 75, 38, 19, 10, 5, 3, 2, 1), each sending both halves; only the halves holding it are refused.
    for (const proxy of [usersProxy, eventsProxy]) {
      expect(proxy.refused).toBeGreaterThanOrEqual(7)
      expect(proxy.refused).toBeLessThanOrEqual(8)
    }
    expect(users?.retries).toBe(2 * (usersProxy.refused - 1))
    expect(events?.retries).toBe(2 * (eventsProxy.refused - 1))

    const expectedUsers = await modelUsers(inProcess)
    delete expectedUsers['u150']
    expect(destinationUsers(brazeUsers)).toEqual(expectedUsers)
    const sent = destinationEventIds(brazeEvents)
    expect(sorted(sent)).toEqual((await modelEventIds(inProcess)).filter((id) => id !== 'e150'))
    const warehouse = await workspace.warehouse()
    const reason = 'Bad Request (HTTP 400, POST /users/track) [invalid]'
    expect((await listRejected(warehouse, 'outflow', 'braze-users')).map((r) => [r.key, r.reason])).toEqual([['u150', reason]])
    expect((await listRejected(warehouse, 'outflow', 'braze-events')).map((r) => [r.key, r.reason])).toEqual([['e150', reason]])

    // The next run tries the rejected records again, alone, and nothing else.
    const forwarded = usersProxy.forwarded + eventsProxy.forwarded
    const again = await workspace.run(['braze-users', 'braze-events'])
    for (const result of again) expect(result).toMatchObject({ counts: { added: 0, retried: 1, synced: 0, rejected: 1 }, deliveries: 1 })
    expect(usersProxy.forwarded + eventsProxy.forwarded).toBe(forwarded)
    expect(destinationEventIds(brazeEvents)).toHaveLength(299)
    expect((await listRejected(warehouse, 'outflow', 'braze-events'))[0]?.attempts).toBe(2)
  })
})
