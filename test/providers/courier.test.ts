import { Agent } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import type { DeliveryRecord, DestinationConnector, FieldValue, RequestGate } from '../../src/destinations/destination.js'
import { createRequestGate } from '../../src/engine/request-gate.js'
import { startCourierEmulator, type CourierEmulator } from '../../providers/emulators.js'
import { createCourierConnector } from '../../providers/courier/courier-connector.js'
import { http } from '../emulators/http.js'
import { OPEN_GATE, deliveryBatch, deliveryRecord } from './helpers/delivery-fixtures.js'

const LIST = { id: 'newsletter.weekly', name: 'Weekly newsletter' }
const agent = new Agent()
let courier: CourierEmulator

beforeAll(async () => {
  courier = await startCourierEmulator({ listWriteLimit: false })
})
afterAll(async () => {
  await courier.stop()
  await agent.close()
})
beforeEach(() => courier.reset())

function connector(options: { authToken?: string; baseUrl?: string } = {}): DestinationConnector {
  return createCourierConnector({
    name: 'courier-prod',
    connection: { type: 'courier', authToken: { secret: 'COURIER_AUTH_TOKEN' }, baseUrl: options.baseUrl ?? courier.url },
    credentials: { COURIER_AUTH_TOKEN: options.authToken ?? 'courier-test-token' },
    dispatcher: agent,
  })
}

function profile(recipientId: string, fields: Record<string, FieldValue> = {}, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return deliveryRecord(recipientId, { recipient_id: recipientId, ...fields }, overrides)
}

const removal = (recipientId: string) => profile(recipientId, {}, { op: 'delete', change: 'removed' })
const profiles = (records: DeliveryRecord[]) => deliveryBatch('profile', records, { keyField: 'recipient_id' })
const listed = (records: DeliveryRecord[], behavior: 'upsert' | 'mirror' = 'upsert') =>
  deliveryBatch('profileWithList', records, { keyField: 'recipient_id', behavior, options: { list: LIST } })

function operations(emulator: CourierEmulator = courier): string[] {
  return emulator.requests().map((entry) => `${entry.operation ?? '?'} ${entry.status ?? 'dropped'}`)
}

function members(listId = LIST.id): string[] {
  return (courier.state().subscriptions[listId] ?? []).map((member) => member.recipientId).sort()
}

async function seedProfile(recipientId: string, body: Record<string, unknown>): Promise<void> {
  await http(courier.url, 'POST', `/profiles/${recipientId}`, {
    body: { profile: body },
    headers: { authorization: 'Bearer courier-test-token' },
  })
}

describe('Courier connector: check', () => {
  it('accepts the token', async () => {
    expect(await connector().check()).toEqual({ ok: true, detail: 'Courier token accepted (0 lists)' })
  })

  it('reports a refused token as DESTINATION_AUTH, naming the destination and not the token', async () => {
    const result = await connector({ authToken: 'tok-wrong-91c2' }).check()
    expect(result).toMatchObject({ ok: false, code: 'DESTINATION_AUTH' })
    expect(JSON.stringify(result)).toContain('courier-prod')
    expect(JSON.stringify(result)).not.toContain('tok-wrong-91c2')
  })

  it('reports an unreachable API as DESTINATION_UNAVAILABLE', async () => {
    expect(await connector({ baseUrl: 'http://127.0.0.1:1' }).check()).toMatchObject({ ok: false, code: 'DESTINATION_UNAVAILABLE' })
  })
})

describe('Courier connector: profile', () => {
  it('merges mapped keys into the profile, keeping keys set elsewhere', async () => {
    await seedProfile('u1', { email: 'old@example.com', apn: { token: 'device-token' } })
    const record = profile('u1', { email: 'ann@example.com', name: 'Ann', birthdate: new Date('1990-04-01T00:00:00Z'), vip: true })
    expect(await connector().deliver(profiles([record]), OPEN_GATE)).toEqual([{ key: 'u1', status: 'accepted' }])
    expect(courier.state().profiles['u1']?.profile).toEqual({
      email: 'ann@example.com',
      apn: { token: 'device-token' },
      name: 'Ann',
      birthdate: '1990-04-01',
      vip: true,
    })
    expect(operations()).toEqual(['profiles_create 200', 'profiles_create 200'])
  })

  it('returns one result per record, in order, with at most ten requests in flight', async () => {
    courier.setFaults([{ kind: 'delay', ms: 40, count: 30 }])
    const records = Array.from({ length: 30 }, (_, i) => profile(`u${i}`, { name: `User ${i}` }))
    const results = await connector().deliver(profiles(records), OPEN_GATE)
    expect(results).toEqual(records.map((record) => ({ key: record.key, status: 'accepted' })))
    expect(Object.keys(courier.state().profiles)).toHaveLength(30)
    const spans = courier.requests().map((entry) => ({ start: Date.parse(entry.time), end: Date.parse(entry.time) + entry.durationMs }))
    const overlapping = spans.map((span) => spans.filter((other) => other.start <= span.start && other.end > span.start + 1).length)
    expect(Math.max(...overlapping)).toBeLessThanOrEqual(10)
    expect(Math.max(...overlapping)).toBeGreaterThan(1)
  })

  it('fails a record on a 5xx, and accepts it on retry: no idempotency key replays the error', async () => {
    courier.setFaults([{ kind: 'status', status: 500, count: 1, match: { path: '/profiles/*' } }])
    const record = profile('u1', { name: 'Ann' })
    expect(await connector().deliver(profiles([record]), OPEN_GATE)).toMatchObject([{ status: 'failed', code: 'vendor_error' }])
    expect(await connector().deliver(profiles([record]), OPEN_GATE)).toEqual([{ key: 'u1', status: 'accepted' }])
    expect(courier.state().profiles['u1']?.profile).toEqual({ name: 'Ann' })
  })

  it('fails a record whose connection dropped, and rejects a 400 with the vendor message', async () => {
    const message = 'Invalid value  Bobby Tables  for "name".'
    courier.setFaults([
      { kind: 'drop', count: 1, match: { path: '/profiles/u1' } },
      { kind: 'status', status: 400, count: 1, match: { path: '/profiles/u2' }, body: { type: 'invalid_request_error', message } },
    ])
    const results = await connector().deliver(profiles([profile('u1'), profile('u2', { name: 'Bobby Tables' }), profile('u3')]), OPEN_GATE)
    expect(results).toEqual([
      { key: 'u1', status: 'failed', code: 'network', message: expect.stringContaining('no response') as unknown },
      { key: 'u2', status: 'rejected', code: 'invalid', message: 'Invalid value <value> for "name". (HTTP 400, POST /profiles/{user_id})' },
      { key: 'u3', status: 'accepted' },
    ])
    expect(Object.keys(courier.state().profiles)).toEqual(['u3'])
  })

  it('throws DESTINATION_AUTH on a refused token and changes nothing', async () => {
    const delivery = connector({ authToken: 'revoked' }).deliver(profiles([profile('u1'), profile('u2')]), OPEN_GATE)
    await expect(delivery).rejects.toMatchObject({ code: 'DESTINATION_AUTH', message: expect.not.stringContaining('revoked') as unknown })
    expect(courier.state().profiles).toEqual({})
    expect(courier.requests().every((entry) => entry.status === 401)).toBe(true)
  })
})

describe('Courier connector: profileWithList', () => {
  const request = { object: 'profileWithList', options: { list: LIST }, fields: {} }

  it('creates the list in prepare, and lists it as missing before', async () => {
    expect(await connector().missing(request)).toEqual(['list:newsletter.weekly'])
    expect(courier.state().lists).toEqual([])
    expect(await connector().prepare(request)).toEqual({ created: ['list:newsletter.weekly'], existing: [] })
    expect(courier.state().lists).toMatchObject([{ id: LIST.id, name: 'Weekly newsletter' }])
    expect(await connector().missing(request)).toEqual([])
    expect(await connector().prepare(request)).toEqual({ created: [], existing: ['list:newsletter.weekly'] })
  })

  it('merges each profile and subscribes the batch in one list write, keeping other members', async () => {
    await connector().prepare(request)
    await http(courier.url, 'PUT', `/lists/${LIST.id}/subscriptions/outsider`, {
      body: {},
      headers: { authorization: 'Bearer courier-test-token' },
    })
    const results = await connector().deliver(listed([profile('u1', { name: 'Ann' }), profile('u2'), profile('u3')]), OPEN_GATE)
    expect(results.map((result) => result.status)).toEqual(['accepted', 'accepted', 'accepted'])
    expect(members()).toEqual(['outsider', 'u1', 'u2', 'u3'])
    expect(courier.state().profiles['u1']?.profile).toEqual({ name: 'Ann' })
    expect(operations().filter((op) => op.startsWith('lists_addSubscribers'))).toEqual(['lists_addSubscribers 204'])
  })

  it('unsubscribes removed rows without deleting their profiles, and accepts a removal of a non-member', async () => {
    await connector().deliver(listed([profile('u1'), profile('u2')]), OPEN_GATE)
    const results = await connector().deliver(listed([removal('u1'), removal('never-subscribed')], 'mirror'), OPEN_GATE)
    expect(results).toEqual([
      { key: 'u1', status: 'accepted' },
      { key: 'never-subscribed', status: 'accepted' },
    ])
    expect(members()).toEqual(['u2'])
    expect(Object.keys(courier.state().profiles).sort()).toEqual(['u1', 'u2'])
    expect(operations().slice(-2).sort()).toEqual(['lists_unsubscribe 204', 'lists_unsubscribe 404'])
  })

  it('does not subscribe a record whose merge failed', async () => {
    courier.setFaults([{ kind: 'status', status: 503, count: 1, match: { path: '/profiles/u2' } }])
    const results = await connector().deliver(listed([profile('u1'), profile('u2')]), OPEN_GATE)
    expect(results).toMatchObject([{ status: 'accepted' }, { status: 'failed', code: 'vendor_error' }])
    expect(members()).toEqual(['u1'])
  })

  it('fails every merged record when the list write is rate limited, with the delay Courier asks for', async () => {
    courier.setFaults([{ kind: 'status', status: 429, count: 1, retryAfterSeconds: 30, match: { method: 'POST', path: '/lists/*' } }])
    const results = await connector().deliver(listed([profile('u1'), profile('u2'), removal('u3')], 'mirror'), OPEN_GATE)
    expect(results).toMatchObject([
      { key: 'u1', status: 'failed', code: 'rate_limited', retryAfterMs: 30_000 },
      { key: 'u2', status: 'failed', code: 'rate_limited', retryAfterMs: 30_000 },
      { key: 'u3', status: 'accepted' },
    ])
    expect(members()).toEqual([])
  })

  it('rejects a refused list write for a single member, and fails a larger batch so it can be split', async () => {
    const refusal = { kind: 'status', status: 400, count: 1, match: { method: 'POST', path: '/lists/*' } } as const
    courier.setFaults([refusal])
    expect(await connector().deliver(listed([profile('u1')]), OPEN_GATE)).toMatchObject([{ status: 'rejected', code: 'invalid' }])
    courier.setFaults([refusal])
    expect(await connector().deliver(listed([profile('u1'), profile('u2')]), OPEN_GATE)).toMatchObject([
      { status: 'failed', code: 'batch_rejected' },
      { status: 'failed', code: 'batch_rejected' },
    ])
  })
})

describe('Courier connector: rate limits', () => {
  it('sends list writes, and only them, through the gate group `lists`', async () => {
    const groups: string[] = []
    const recording: RequestGate = { acquire: (group = 'default') => (groups.push(group), Promise.resolve()) }
    await connector().prepare({ object: 'profileWithList', options: { list: LIST }, fields: {} }, recording)
    await connector().deliver(listed([profile('u1'), profile('u2'), removal('u3')], 'mirror'), recording)
    expect(groups).toEqual(['default', 'lists', 'default', 'default', 'default', 'lists'])
    expect(connector().rateLimits).toEqual([{ group: 'lists', requests: 20, perMs: 60_000 }])
  })

  it('keeps concurrent list writes under the emulator limit through one gate', async () => {
    const limited = await startCourierEmulator({ listWriteLimit: { limit: 2, windowMs: 300 } })
    onTestFinished(() => limited.stop())
    const courierConnector = connector({ baseUrl: limited.url })
    // Courier counts list writes in fixed windows and the gate is a token bucket, which can release
    // a full burst plus a window's refill inside one window; one write per 160 ms never puts more
    // than two in any 300 ms window (see providers/courier/README.md).
    const gate = createRequestGate(courierConnector.rateLimits.map((limit) => ({ ...limit, requests: 1, perMs: 160 })))
    const batches = Array.from({ length: 6 }, (_, i) => listed([profile(`u${i}`)]))
    const results = await Promise.all(batches.map((batch) => courierConnector.deliver(batch, gate)))
    expect(results.flat().every((result) => result.status === 'accepted')).toBe(true)
    expect(limited.requests().filter((entry) => entry.status === 429)).toEqual([])
    expect(limited.state().subscriptions[LIST.id]).toHaveLength(6)
  })
})
