import { Agent } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import type { DeliveryBatch, DeliveryRecord, DestinationConnector, FieldValue } from '../../src/destinations/destination.js'
import { createRequestGate } from '../../src/engine/request-gate.js'
import { startLoopsEmulator, type LoopsEmulator, type LoopsEmulatorConfig } from '../../providers/emulators.js'
import type { SyncOptions } from '../../src/model/spec-types.js'
import { createLoopsConnector } from '../../providers/loops/loops-connector.js'
import { http } from '../emulators/http.js'
import { OPEN_GATE, deliveryBatch, deliveryRecord } from './helpers/delivery-fixtures.js'

const SEED: LoopsEmulatorConfig = {
  mailingLists: [{ id: 'list_news', name: 'News' }],
  customProperties: [{ name: 'plan', type: 'string' }],
}
const agent = new Agent()
let loops: LoopsEmulator

beforeAll(async () => {
  loops = await startLoopsEmulator({ ...SEED, rateLimit: false })
})
afterAll(async () => {
  await loops.stop()
  await agent.close()
})
beforeEach(() => loops.reset())

function connector(options: { apiKey?: string; baseUrl?: string } = {}): DestinationConnector {
  return createLoopsConnector({
    name: 'loops-prod',
    connection: { type: 'loops', apiKey: { secret: 'LOOPS_API_KEY' }, baseUrl: options.baseUrl ?? loops.url },
    credentials: { LOOPS_API_KEY: options.apiKey ?? 'loops-test-key' },
    dispatcher: agent,
  })
}

function contacts(keyField: 'email' | 'userId', records: DeliveryRecord[], options: SyncOptions = {}): DeliveryBatch {
  return deliveryBatch('contact', records, { keyField, options })
}

function byEmail(email: string, fields: Record<string, FieldValue> = {}, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return deliveryRecord(email, { email, ...fields }, overrides)
}

function operations(emulator: LoopsEmulator = loops): string[] {
  return emulator.requests().map((entry) => `${entry.operation ?? '?'} ${entry.status ?? 'dropped'}`)
}

describe('Loops connector: check', () => {
  it('accepts the key and names the team', async () => {
    expect(await connector().check()).toEqual({ ok: true, detail: 'Loops team "Outflow Emulator"' })
  })

  it('reports a refused key as DESTINATION_AUTH, naming the destination and not the key', async () => {
    const result = await connector({ apiKey: 'wrong-key-7f3a' }).check()
    expect(result).toMatchObject({ ok: false, code: 'DESTINATION_AUTH' })
    expect(JSON.stringify(result)).toContain('loops-prod')
    expect(JSON.stringify(result)).not.toContain('wrong-key-7f3a')
  })

  it('reports an unreachable API as DESTINATION_UNAVAILABLE', async () => {
    expect(await connector({ baseUrl: 'http://127.0.0.1:1' }).check()).toMatchObject({ ok: false, code: 'DESTINATION_UNAVAILABLE' })
  })
})

describe('Loops connector: upsert', () => {
  it('creates a new contact, then updates it when it exists', async () => {
    const loopsConnector = connector()
    const first = await loopsConnector.deliver(contacts('email', [byEmail('ann@example.com', { firstName: 'Ann' })]), OPEN_GATE)
    expect(first).toEqual([{ key: 'ann@example.com', status: 'accepted', created: true }])
    const again = await loopsConnector.deliver(contacts('email', [byEmail('ann@example.com', { firstName: 'Anne' })]), OPEN_GATE)
    expect(again).toEqual([{ key: 'ann@example.com', status: 'accepted', created: false }])
    expect(loops.state().contacts).toMatchObject([{ email: 'ann@example.com', firstName: 'Anne', source: 'API' }])
    expect(operations()).toEqual(['createContact 200', 'createContact 409', 'updateContact 200'])
  })

  it('sends a record it sent before straight to the update, leaving `created` unknown', async () => {
    await connector().deliver(contacts('email', [byEmail('ann@example.com')]), OPEN_GATE)
    const changed = byEmail('ann@example.com', { lastName: 'Lee' }, { change: 'changed' })
    expect(await connector().deliver(contacts('email', [changed]), OPEN_GATE)).toEqual([{ key: 'ann@example.com', status: 'accepted' }])
    expect(operations()).toEqual(['createContact 200', 'updateContact 200'])
    expect(loops.state().contacts).toMatchObject([{ lastName: 'Lee' }])
  })

  it('updates an existing contact by userId alone', async () => {
    await connector().deliver(contacts('email', [byEmail('ann@example.com', { userId: 'u1' })]), OPEN_GATE)
    const record = deliveryRecord('u1', { userId: 'u1', firstName: 'Ann', plan: 'pro' })
    expect(await connector().deliver(contacts('userId', [record]), OPEN_GATE)).toEqual([{ key: 'u1', status: 'accepted', created: false }])
    expect(loops.state().contacts).toMatchObject([{ email: 'ann@example.com', userId: 'u1', firstName: 'Ann', plan: 'pro' }])
  })

  it('rejects a new contact keyed by userId without an email, with Loops reason', async () => {
    const [result] = await connector().deliver(contacts('userId', [deliveryRecord('u9', { userId: 'u9' })]), OPEN_GATE)
    expect(result).toEqual({
      key: 'u9',
      status: 'rejected',
      code: 'invalid',
      message: 'Contact not found. (HTTP 400, PUT /v1/contacts/update)',
    })
    expect(loops.state().contacts).toEqual([])
  })

  it('adds mailing lists and never re-subscribes a contact unless `subscribed` is mapped', async () => {
    await connector().deliver(contacts('email', [byEmail('ann@example.com')]), OPEN_GATE)
    const unsubscribe = { email: 'ann@example.com', subscribed: false }
    await http(loops.url, 'PUT', '/v1/contacts/update', { body: unsubscribe, headers: { authorization: 'Bearer loops-test-key' } })
    const options = { mailingLists: { list_news: true } }
    await connector().deliver(contacts('email', [byEmail('ann@example.com', { firstName: 'Ann' })], options), OPEN_GATE)
    expect(loops.state().contacts).toMatchObject([{ subscribed: false, firstName: 'Ann', mailingLists: { list_news: true } }])
  })

  it('writes dates as ISO 8601 and resets a custom property with null', async () => {
    const signedUpAt = new Date('2024-01-15T10:00:00Z')
    await connector().prepare({ object: 'contact', options: {}, fields: { email: 'string', signedUpAt: 'date', plan: 'string' } })
    await connector().deliver(contacts('email', [byEmail('ann@example.com', { signedUpAt, plan: 'pro' })]), OPEN_GATE)
    expect(loops.state().contacts).toMatchObject([{ signedUpAt: '2024-01-15T10:00:00.000Z', plan: 'pro' }])
    await connector().deliver(contacts('email', [byEmail('ann@example.com', { plan: null, firstName: null })]), OPEN_GATE)
    expect(loops.state().contacts[0]).not.toHaveProperty('plan')
    expect(loops.state().contacts[0]).toMatchObject({ firstName: '' })
  })
})

describe('Loops connector: trigger events', () => {
  const onCreate: SyncOptions = { triggerEvent: { name: 'contactSynced', on: ['create'] } }
  const onUpdate: SyncOptions = { triggerEvent: { name: 'contactUpdated', on: ['update'] } }

  it('sends the event when the sync creates the contact, and not on update, when `on` is [create]', async () => {
    await connector().deliver(contacts('email', [byEmail('ann@example.com')], onCreate), OPEN_GATE)
    await connector().deliver(contacts('email', [byEmail('ann@example.com', { firstName: 'Ann' })], onCreate), OPEN_GATE)
    expect(loops.state().events).toMatchObject([{ eventName: 'contactSynced', email: 'ann@example.com' }])
    expect(loops.state().events[0]?.idempotencyKey).toMatch(/^test-sync:ann@example.com:/)
  })

  it('sends the event on update only, when `on` is [update]', async () => {
    await connector().deliver(contacts('email', [byEmail('ann@example.com')], onUpdate), OPEN_GATE)
    expect(loops.state().events).toEqual([])
    await connector().deliver(
      contacts('email', [byEmail('ann@example.com', { firstName: 'Ann' }, { change: 'changed' })], onUpdate),
      OPEN_GATE,
    )
    expect(loops.state().events).toMatchObject([{ eventName: 'contactUpdated' }])
  })

  it('sends one event when the same record is delivered twice', async () => {
    const record = byEmail('ann@example.com', { firstName: 'Ann' }, { change: 'changed' })
    await connector().deliver(contacts('email', [byEmail('ann@example.com')]), OPEN_GATE)
    const first = await connector().deliver(contacts('email', [record], onUpdate), OPEN_GATE)
    const second = await connector().deliver(contacts('email', [record], onUpdate), OPEN_GATE)
    expect([first, second]).toEqual([[{ key: 'ann@example.com', status: 'accepted' }], [{ key: 'ann@example.com', status: 'accepted' }]])
    expect(loops.state().events).toHaveLength(1)
    expect(operations().filter((op) => op.startsWith('sendEvent'))).toEqual(['sendEvent 200', 'sendEvent 409'])
  })

  it('hashes an idempotency key longer than Loops accepts', async () => {
    const record = byEmail('ann@example.com', {}, { idempotencyKey: 'k'.repeat(150) })
    expect(await connector().deliver(contacts('email', [record], onCreate), OPEN_GATE)).toMatchObject([{ status: 'accepted' }])
    expect(loops.state().events[0]?.idempotencyKey).toMatch(/^[0-9a-f]{64}$/)
  })

  it('fails a record whose event failed, and still reports it created and sends the create event on retry', async () => {
    const loopsConnector = connector()
    loops.setFaults([{ kind: 'status', status: 503, match: { path: '/v1/events/send' } }])
    const record = byEmail('ann@example.com')
    expect(await loopsConnector.deliver(contacts('email', [record], onCreate), OPEN_GATE)).toMatchObject([
      { status: 'failed', code: 'vendor_error' },
    ])
    expect(await loopsConnector.deliver(contacts('email', [record], onCreate), OPEN_GATE)).toEqual([
      { key: 'ann@example.com', status: 'accepted', created: true },
    ])
    expect(loops.state().events).toHaveLength(1)
  })
})

describe('Loops connector: mirror deletes', () => {
  const mirror = (records: DeliveryRecord[]) => deliveryBatch('contact', records, { keyField: 'email', behavior: 'mirror' })
  const removal = (email: string, createdBySync: boolean | undefined) =>
    deliveryRecord(email, { email }, { op: 'delete', change: 'removed', createdBySync })

  it('deletes only contacts this sync created', async () => {
    await connector().deliver(contacts('email', [byEmail('ann@example.com'), byEmail('bob@example.com')]), OPEN_GATE)
    const results = await connector().deliver(mirror([removal('ann@example.com', true), removal('bob@example.com', false)]), OPEN_GATE)
    expect(results).toEqual([
      { key: 'ann@example.com', status: 'accepted' },
      { key: 'bob@example.com', status: 'accepted' },
    ])
    expect(loops.state().contacts).toMatchObject([{ email: 'bob@example.com' }])
    expect(operations().filter((op) => op.startsWith('deleteContact'))).toEqual(['deleteContact 200'])
  })

  it('accepts the delete of a contact that is already gone', async () => {
    expect(await connector().deliver(mirror([removal('gone@example.com', true)]), OPEN_GATE)).toEqual([
      { key: 'gone@example.com', status: 'accepted' },
    ])
    expect(operations()).toEqual(['deleteContact 404'])
  })
})

describe('Loops connector: prepare', () => {
  const request = { object: 'contact', options: {}, fields: { email: 'string', plan: 'string', signedUpAt: 'date' } } as const

  it('creates the missing custom properties, and lists them first without creating them', async () => {
    expect(await connector().missing(request)).toEqual(['property:signedUpAt (date)'])
    expect(loops.state().customProperties.map((property) => property.key)).toEqual(['plan'])
    expect(await connector().prepare(request)).toEqual({ created: ['property:signedUpAt (date)'], existing: ['property:plan (string)'] })
    expect(loops.state().customProperties).toContainEqual({ key: 'signedUpAt', label: 'Signed up at', type: 'date' })
    expect(await connector().missing(request)).toEqual([])
    expect(await connector().prepare(request)).toEqual({ created: [], existing: ['property:plan (string)', 'property:signedUpAt (date)'] })
  })

  it('stops on a property Loops has with another type', async () => {
    await expect(connector().prepare({ ...request, fields: { plan: 'number' } })).rejects.toMatchObject({
      code: 'DESTINATION_REQUEST_INVALID',
      message: expect.stringContaining('"plan" is a string in Loops') as unknown,
    })
  })
})

describe('Loops connector: failures', () => {
  it('throws DESTINATION_AUTH on a refused key and changes nothing', async () => {
    const records = [byEmail('ann@example.com'), byEmail('bob@example.com')]
    const delivery = connector({ apiKey: 'revoked-key' }).deliver(contacts('email', records), OPEN_GATE)
    await expect(delivery).rejects.toMatchObject({
      code: 'DESTINATION_AUTH',
      message: expect.not.stringContaining('revoked-key') as unknown,
    })
    expect(loops.state().contacts).toEqual([])
    expect(operations()).toEqual(['createContact 401'])
  })

  it('fails rate-limited records with the delay Loops asks for', async () => {
    loops.setFaults([{ kind: 'status', status: 429, count: 2, retryAfterSeconds: 3, match: { path: '/v1/contacts/*' } }])
    const emails = ['a@example.com', 'b@example.com', 'c@example.com']
    const results = []
    for (const email of emails) results.push(await connector().deliver(contacts('email', [byEmail(email)]), OPEN_GATE))
    expect(results.flat().map((result) => result.status)).toEqual(['failed', 'failed', 'accepted'])
    expect(results.flat().slice(0, 2)).toMatchObject([
      { status: 'failed', code: 'rate_limited', retryAfterMs: 3000 },
      { status: 'failed', code: 'rate_limited', retryAfterMs: 3000 },
    ])
    expect(loops.state().contacts).toHaveLength(1)
  })

  it('fails a record on a 5xx and on a dropped connection, and rejects a 400 with the vendor message', async () => {
    loops.setFaults([
      { kind: 'status', status: 502, count: 1 },
      { kind: 'drop', count: 1 },
      { kind: 'status', status: 400, count: 1, body: { success: false, message: 'Bad value  ann@example.com  for email.' } },
    ])
    const deliver = (email: string) => connector().deliver(contacts('email', [byEmail(email)]), OPEN_GATE)
    expect(await deliver('a@example.com')).toMatchObject([{ status: 'failed', code: 'vendor_error' }])
    expect(await deliver('b@example.com')).toMatchObject([{ status: 'failed', code: 'network' }])
    expect(await deliver('ann@example.com')).toEqual([
      {
        key: 'ann@example.com',
        status: 'rejected',
        code: 'invalid',
        message: 'Bad value <value> for email. (HTTP 400, POST /v1/contacts/create)',
      },
    ])
    expect(loops.state().contacts).toEqual([])
  })

  it('rejects a value Loops refuses, such as an undeclared property', async () => {
    const [result] = await connector().deliver(contacts('email', [byEmail('ann@example.com', { favoriteColor: 'blue' })]), OPEN_GATE)
    expect(result).toMatchObject({
      status: 'rejected',
      code: 'invalid',
      message: expect.stringContaining('"favoriteColor" does not exist') as unknown,
    })
  })
})

describe('Loops connector: rate limit', () => {
  it('keeps 25 concurrent single-record batches under Loops 10 requests a second through one gate', async () => {
    const limited = await startLoopsEmulator(SEED)
    onTestFinished(() => limited.stop())
    const loopsConnector = connector({ baseUrl: limited.url })
    // Open ten connections first and reset the emulator's bucket, so that connection set-up does not
    // delay the burst's first arrival and squeeze the gap to the request after it.
    await Promise.all(Array.from({ length: 10 }, () => loopsConnector.check()))
    limited.reset()
    // The gate releases on this process's clock and Loops counts arrivals on its own: at exactly the
    // limit, request 11 arrives 100 ms after the first and loses the tie about half the time (measured),
    // so the gate gets 10% headroom (see providers/loops/README.md).
    const gate = createRequestGate(loopsConnector.rateLimits.map((limit) => ({ ...limit, perMs: limit.perMs * 1.1 })))
    const batches = Array.from({ length: 25 }, (_, i) => contacts('email', [byEmail(`user${i}@example.com`)]))
    const results = await Promise.all(batches.map((batch) => loopsConnector.deliver(batch, gate)))
    expect(results.flat().every((result) => result.status === 'accepted')).toBe(true)
    expect(limited.requests().filter((entry) => entry.status === 429)).toEqual([])
    expect(limited.state().contacts).toHaveLength(25)
  })
})
