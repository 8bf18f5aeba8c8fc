import { Agent } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import type { DeliveryRecord, DestinationConnector, FieldValue, RequestGate } from '../../src/destinations/destination.js'
import { createRequestGate } from '../../src/engine/request-gate.js'
import { startBrazeEmulator, type BrazeEmulator, type BrazeEmulatorConfig } from '../../providers/emulators.js'
import { createBrazeConnector } from '../../providers/braze/braze-connector.js'
import { OPEN_GATE, deliveryBatch, deliveryRecord } from './helpers/delivery-fixtures.js'
import { runPool } from './helpers/run-pool.js'

const agent = new Agent()
let braze: BrazeEmulator

beforeAll(async () => {
  braze = await startBrazeEmulator({
    apiKeys: [
      'braze-test-key',
      { key: 'track-only', permissions: ['users.track'] },
      { key: 'no-segments', permissions: ['users.track', 'users.delete'] },
    ],
  })
})
afterAll(async () => {
  await braze.stop()
  await agent.close()
})
beforeEach(() => braze.reset())

function connector(options: { apiKey?: string; url?: string } = {}): DestinationConnector {
  return createBrazeConnector({
    name: 'braze-prod',
    connection: { type: 'braze', restEndpoint: options.url ?? braze.url, apiKey: { secret: 'BRAZE_API_KEY' } },
    credentials: { BRAZE_API_KEY: options.apiKey ?? 'braze-test-key' },
    dispatcher: agent,
  })
}

async function startOwn(config: BrazeEmulatorConfig): Promise<BrazeEmulator> {
  const emulator = await startBrazeEmulator(config)
  onTestFinished(() => emulator.stop())
  return emulator
}

const user = (id: string, fields: Record<string, FieldValue> = {}): DeliveryRecord => deliveryRecord(id, { external_id: id, ...fields })
const removal = (id: string): DeliveryRecord => deliveryRecord(id, { external_id: id }, { op: 'delete', change: 'removed' })
const users = (records: DeliveryRecord[], behavior: 'upsert' | 'update' | 'mirror' = 'upsert') =>
  deliveryBatch('user', records, { keyField: 'external_id', behavior })
const event = (key: string, fields: Record<string, FieldValue>): DeliveryRecord => deliveryRecord(key, fields, { op: 'send' })
const events = (records: DeliveryRecord[]) => deliveryBatch('event', records, { behavior: 'send' })

function operations(emulator: BrazeEmulator = braze): string[] {
  return emulator.requests().map((entry) => `${entry.operation ?? '?'} ${entry.status ?? 'dropped'}`)
}

function stored(externalId: string, emulator: BrazeEmulator = braze) {
  return emulator.state().users.find((candidate) => candidate.external_id === externalId)
}

describe('Braze connector: check', () => {
  it('accepts a key with segments.list', async () => {
    expect(await connector().check()).toEqual({ ok: true, detail: 'Braze API key accepted (0 segments on the first page)' })
    expect(operations()).toEqual(['segments.list 200'])
  })

  it('reports a refused key as DESTINATION_AUTH, naming the destination and not the key', async () => {
    const result = await connector({ apiKey: 'key-wrong-5f1a' }).check()
    expect(result).toMatchObject({ ok: false, code: 'DESTINATION_AUTH' })
    expect(JSON.stringify(result)).toContain('braze-prod')
    expect(JSON.stringify(result)).not.toContain('key-wrong-5f1a')
  })

  it('names the missing segments.list permission', async () => {
    const result = await connector({ apiKey: 'no-segments' }).check()
    expect(result).toMatchObject({ ok: false, code: 'DESTINATION_AUTH' })
    expect(result.ok ? '' : result.message).toContain('the Braze API key lacks the segments.list permission (HTTP 403')
  })

  it('reports an unreachable endpoint as DESTINATION_UNAVAILABLE', async () => {
    expect(await connector({ url: 'http://127.0.0.1:1' }).check()).toMatchObject({ ok: false, code: 'DESTINATION_UNAVAILABLE' })
  })

  it('has nothing to prepare', async () => {
    const request = { object: 'user', options: {}, fields: { plan: 'string' as const } }
    expect(await connector().prepare(request)).toEqual({ created: [], existing: [] })
    expect(await connector().missing(request)).toEqual([])
    expect(braze.requests()).toEqual([])
  })
})

describe('Braze connector: user', () => {
  it('creates users, then updates them, with dates in Braze formats', async () => {
    const created = await connector().deliver(
      users([user('u1', { first_name: 'Ada', dob: new Date('1990-04-01T00:00:00Z'), plan: 'pro' }), user('u2', { first_name: 'Bo' })]),
      OPEN_GATE,
    )
    expect(created).toEqual([
      { key: 'u1', status: 'accepted' },
      { key: 'u2', status: 'accepted' },
    ])
    const renewed = new Date('2025-01-02T03:04:05.000Z')
    await connector().deliver(users([user('u1', { first_name: 'Ada L.', plan: null, renewed_at: renewed })]), OPEN_GATE)
    expect(stored('u1')).toMatchObject({
      attributes: { first_name: 'Ada L.', dob: '1990-04-01' },
      custom_attributes: { renewed_at: renewed.toISOString() },
    })
    expect(stored('u1')?.custom_attributes).not.toHaveProperty('plan')
    expect(stored('u2')?.attributes).toEqual({ first_name: 'Bo' })
    expect(braze.state().users).toHaveLength(2)
    expect(operations()).toEqual(['users.track 201', 'users.track 201'])
  })

  it('with update, changes known users and creates none', async () => {
    await connector().deliver(users([user('known', { first_name: 'Old' })]), OPEN_GATE)
    const results = await connector().deliver(
      users([user('known', { first_name: 'New' }), user('stranger', { first_name: 'X' })], 'update'),
      OPEN_GATE,
    )
    expect(results.map((result) => result.status)).toEqual(['accepted', 'accepted'])
    expect(braze.state().users.map((candidate) => candidate.external_id)).toEqual(['known'])
    expect(stored('known')?.attributes).toEqual({ first_name: 'New' })
  })

  it('deletes mirror removals in requests of 50 ids, alongside upserts', async () => {
    const ids = Array.from({ length: 75 }, (_, i) => `gone-${i}`)
    await connector().deliver(users(ids.map((id) => user(id))), OPEN_GATE)
    await connector().deliver(users([user('kept')]), OPEN_GATE)
    expect(braze.state().users).toHaveLength(76)
    const before = braze.requests().length
    const results = await connector().deliver(users(ids.map(removal), 'mirror'), OPEN_GATE)
    expect(results).toEqual(ids.map((key) => ({ key, status: 'accepted' })))
    expect(operations().slice(before)).toEqual(['users.delete 201', 'users.delete 201'])
    expect(braze.state().users.map((candidate) => candidate.external_id)).toEqual(['kept'])
  })

  it('upserts and deletes in one batch, results in the batch order', async () => {
    await connector().deliver(users([user('old')]), OPEN_GATE)
    const results = await connector().deliver(users([user('a'), removal('old'), user('b'), removal('never-synced')], 'mirror'), OPEN_GATE)
    expect(results).toEqual(['a', 'old', 'b', 'never-synced'].map((key) => ({ key, status: 'accepted' })))
    expect(
      braze
        .state()
        .users.map((candidate) => candidate.external_id)
        .sort(),
    ).toEqual(['a', 'b'])
  })
})

describe('Braze connector: event', () => {
  it('sends each event once, with its properties and time, or the delivery time when unmapped', async () => {
    const at = new Date('2024-05-06T07:08:09.000Z')
    const startedAt = Date.now()
    const records = [
      event('e1', { external_id: 'u1', name: 'Signed Up', time: at, plan: 'pro', seats: 3, trial_ends: new Date('2024-06-01T00:00:00Z') }),
      event('e2', { email: 'bo@example.com', name: 'Visited' }),
    ]
    const results = await connector().deliver(events([...records, records[0]!]), OPEN_GATE)
    expect(results.map((result) => `${result.key} ${result.status}`)).toEqual(['e1 accepted', 'e2 accepted', 'e1 accepted'])
    const [first, second] = braze.state().events
    expect(braze.state().events).toHaveLength(2)
    expect(first).toMatchObject({
      external_id: 'u1',
      name: 'Signed Up',
      time: at.toISOString(),
      properties: { plan: 'pro', seats: 3, trial_ends: '2024-06-01T00:00:00.000Z' },
    })
    expect(Date.parse(second!.time)).toBeGreaterThanOrEqual(startedAt - 1000)
    expect(second!.properties).toEqual({})
    expect(braze.state().users.find((candidate) => candidate.braze_id === second!.braze_id)?.attributes).toEqual({
      email: 'bo@example.com',
    })
    expect(operations()).toEqual(['users.track 201'])
  })

  it('rejects the events Braze refuses and accepts the others', async () => {
    const records = [
      event('ok-1', { external_id: 'u1', name: 'Paid' }),
      event('no-name', { external_id: 'u1', name: null }),
      event('ok-2', { external_id: 'u2', name: 'Paid' }),
      event('reserved', { external_id: 'u2', name: 'Paid', event_name: 'x' }),
    ]
    const results = await connector().deliver(events(records), OPEN_GATE)
    expect(results).toEqual([
      { key: 'ok-1', status: 'accepted' },
      { key: 'no-name', status: 'rejected', code: 'invalid_object', message: "'name' is required (POST /users/track, events[1])" },
      { key: 'ok-2', status: 'accepted' },
      { key: 'reserved', status: 'rejected', code: 'invalid_object', message: expect.stringContaining('event_name') as unknown },
    ])
    expect(braze.state().events.map((stored) => stored.external_id)).toEqual(['u1', 'u2'])
  })

  it('rejects every event when Braze refuses them all (400 with errors), without throwing', async () => {
    const results = await connector().deliver(events([event('a', { name: 'X' }), event('b', { external_id: 'u1', name: '' })]), OPEN_GATE)
    expect(results).toMatchObject([
      { key: 'a', status: 'rejected', code: 'invalid_object' },
      { key: 'b', status: 'rejected', code: 'invalid_object' },
    ])
    expect(braze.state().events).toEqual([])
  })
})

describe('Braze connector: failures', () => {
  it('throws DESTINATION_AUTH on a refused key and changes nothing', async () => {
    await connector().deliver(users([user('u1', { first_name: 'Ada' })]), OPEN_GATE)
    const before = braze.state()
    const delivery = connector({ apiKey: 'revoked-key-77' }).deliver(
      users([user('u1', { first_name: 'Eve' }), removal('u1')], 'mirror'),
      OPEN_GATE,
    )
    await expect(delivery).rejects.toMatchObject({
      code: 'DESTINATION_AUTH',
      message: expect.not.stringContaining('revoked-key-77') as unknown,
    })
    expect(braze.state()).toEqual(before)
  })

  it('names the permission a key lacks for mirror deletes', async () => {
    const delivery = connector({ apiKey: 'track-only' }).deliver(users([removal('u1')], 'mirror'), OPEN_GATE)
    await expect(delivery).rejects.toMatchObject({
      code: 'DESTINATION_AUTH',
      message: expect.stringContaining('lacks the users.delete permission') as unknown,
    })
  })

  it('fails every record on a 5xx, and on a dropped connection', async () => {
    braze.setFaults([
      { kind: 'status', status: 503, count: 1 },
      { kind: 'drop', count: 1 },
    ])
    const batch = users([user('u1'), user('u2')])
    expect(await connector().deliver(batch, OPEN_GATE)).toMatchObject([
      { key: 'u1', status: 'failed', code: 'vendor_error' },
      { key: 'u2', status: 'failed', code: 'vendor_error' },
    ])
    expect(await connector().deliver(batch, OPEN_GATE)).toMatchObject([
      { status: 'failed', code: 'network', message: expect.stringContaining('POST /users/track: no response') as unknown },
      { status: 'failed', code: 'network' },
    ])
    expect(braze.state().users).toEqual([])
  })

  it('fails every record on a 429, with the delay from Retry-After or X-RateLimit-Reset', async () => {
    braze.setFaults([{ kind: 'status', status: 429, count: 1, retryAfterSeconds: 7 }])
    expect(await connector().deliver(events([event('e1', { external_id: 'u1', name: 'X' })]), OPEN_GATE)).toMatchObject([
      { key: 'e1', status: 'failed', code: 'rate_limited', retryAfterMs: 7000 },
    ])
    const limited = await startOwn({ rateLimits: { usersTrack: { limit: 1, windowMs: 60_000 } } })
    await connector({ url: limited.url }).deliver(users([user('u1')]), OPEN_GATE)
    const [result] = await connector({ url: limited.url }).deliver(users([user('u2')]), OPEN_GATE)
    expect(result).toMatchObject({ key: 'u2', status: 'failed', code: 'rate_limited' })
    expect(result?.status === 'failed' ? result.retryAfterMs : undefined).toBeGreaterThan(50_000)
    expect(braze.state().events).toEqual([])
  })

  it('throws DESTINATION_REQUEST_INVALID for a batch over 75 objects (Max Input Length Exceeded)', async () => {
    const oversized = users(Array.from({ length: 76 }, (_, i) => user(`u${i}`)))
    await expect(connector().deliver(oversized, OPEN_GATE)).rejects.toMatchObject({
      code: 'DESTINATION_REQUEST_INVALID',
      message: expect.stringContaining('Max Input Length Exceeded (HTTP 400, POST /users/track)') as unknown,
    })
    expect(braze.state().users).toEqual([])
  })
})

describe('Braze connector: rate limits', () => {
  it('declares 75 records a batch and each endpoint group with its limit', () => {
    expect(connector().limits('user')).toEqual({
      batchSize: 75,
      concurrency: 8,
      requestsPerBatch: { track: 1 },
      deletes: { batchSize: 50, requestsPerBatch: { delete: 1 } },
    })
    expect(connector().limits('event')).toEqual({ batchSize: 75, concurrency: 8, requestsPerBatch: { track: 1 } })
    expect(connector().rateLimits).toEqual([
      { group: 'track', requests: 3000, perMs: 3000 },
      { group: 'delete', requests: 20_000, perMs: 60_000 },
      { group: 'default', requests: 250_000, perMs: 3_600_000 },
    ])
  })

  it('sends track, delete and segment calls through their own gate groups', async () => {
    const groups: string[] = []
    const recording: RequestGate = { acquire: (group = 'default') => (groups.push(group), Promise.resolve()) }
    await connector().check(recording)
    await connector().deliver(users([user('a'), removal('b')], 'mirror'), recording)
    await connector().deliver(events([event('e', { external_id: 'a', name: 'X' })]), recording)
    expect(groups).toEqual(['default', 'track', 'delete', 'track'])
  })

  it('stays under a lowered /users/track limit through a matching gate: no 429 over many batches', async () => {
    const limited = await startOwn({ rateLimits: { usersTrack: { limit: 10, windowMs: 1000 } } })
    const brazeConnector = connector({ url: limited.url })
    const gate = createRequestGate(
      brazeConnector.rateLimits.map((limit) => (limit.group === 'track' ? { ...limit, requests: 10, perMs: 1000 } : limit)),
    )
    const batches = Array.from({ length: 25 }, (_, i) => users([user(`u${i}-a`), user(`u${i}-b`)]))
    const results = await runPool(
      batches.map((batch) => () => brazeConnector.deliver(batch, gate)),
      brazeConnector.limits('user').concurrency,
    )
    expect(results.flat().every((result) => result.status === 'accepted')).toBe(true)
    expect(limited.requests().filter((entry) => entry.status === 429)).toEqual([])
    expect(limited.state().users).toHaveLength(50)
  })
})
