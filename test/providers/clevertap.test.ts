import { Agent, MockAgent } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import type { DeliveryRecord, DestinationConnector, FieldValue, RecordResult } from '../../src/destinations/destination.js'
import { startCleverTapEmulator, type CleverTapEmulator, type CleverTapEmulatorConfig } from '../../providers/emulators.js'
import { createClevertapConnector } from '../../providers/clevertap/clevertap-connector.js'
import { OPEN_GATE, deliveryBatch, deliveryRecord } from './helpers/delivery-fixtures.js'
import { runPool } from './helpers/run-pool.js'

const agent = new Agent()
let clevertap: CleverTapEmulator

beforeAll(async () => {
  clevertap = await startCleverTapEmulator()
})
afterAll(async () => {
  await clevertap.stop()
  await agent.close()
})
beforeEach(() => clevertap.reset())

interface ConnectorSettings {
  passcode?: string
  baseUrl?: string | undefined
  dispatcher?: Agent | MockAgent
}

function connector(settings: ConnectorSettings = {}): DestinationConnector {
  const baseUrl = 'baseUrl' in settings ? settings.baseUrl : clevertap.url
  return createClevertapConnector({
    name: 'clevertap-prod',
    connection: {
      type: 'clevertap',
      accountId: 'TEST-ACCOUNT',
      region: 'us1',
      passcode: { secret: 'CLEVERTAP_PASSCODE' },
      ...(baseUrl === undefined ? {} : { baseUrl }),
    },
    credentials: { CLEVERTAP_PASSCODE: settings.passcode ?? 'clevertap-test-passcode' },
    dispatcher: settings.dispatcher ?? agent,
  })
}

async function startOwn(config: CleverTapEmulatorConfig): Promise<CleverTapEmulator> {
  const emulator = await startCleverTapEmulator(config)
  onTestFinished(() => emulator.stop())
  return emulator
}

const profile = (identity: string, fields: Record<string, FieldValue> = {}): DeliveryRecord =>
  deliveryRecord(identity, { identity, ...fields })
const profiles = (records: DeliveryRecord[]) => deliveryBatch('profile', records, { keyField: 'identity' })
const event = (key: string, fields: Record<string, FieldValue>): DeliveryRecord => deliveryRecord(key, fields, { op: 'send' })
const events = (records: DeliveryRecord[]) => deliveryBatch('event', records, { behavior: 'send' })

function operations(emulator: CleverTapEmulator = clevertap): string[] {
  return emulator.requests().map((entry) => `${entry.operation ?? '?'} ${entry.status ?? 'dropped'}`)
}

function statuses(results: readonly RecordResult[]): string[] {
  return results.map((result) => `${result.key} ${result.status}${result.status === 'accepted' ? '' : ` ${result.code}`}`)
}

describe('CleverTap connector: check', () => {
  it('accepts the account and passcode through /v1/connect', async () => {
    expect(await connector().check()).toEqual({ ok: true, detail: 'CleverTap account TEST-ACCOUNT accepted the passcode' })
    expect(operations()).toEqual(['connect 200'])
  })

  it('reports a refused passcode as DESTINATION_AUTH, naming the destination and not the passcode', async () => {
    const result = await connector({ passcode: 'pass-wrong-3e9d' }).check()
    expect(result).toMatchObject({ ok: false, code: 'DESTINATION_AUTH' })
    expect(JSON.stringify(result)).toContain('clevertap-prod')
    expect(JSON.stringify(result)).not.toContain('pass-wrong-3e9d')
  })

  it('reports an unreachable API as DESTINATION_UNAVAILABLE', async () => {
    expect(await connector({ baseUrl: 'http://127.0.0.1:1' }).check()).toMatchObject({ ok: false, code: 'DESTINATION_UNAVAILABLE' })
  })

  it("calls the region's host when no baseUrl is given", async () => {
    const mock = new MockAgent()
    mock.disableNetConnect()
    onTestFinished(() => mock.close())
    mock
      .get('https://us1.api.clevertap.com')
      .intercept({ path: '/v1/connect?partner=outflow', method: 'GET', headers: { 'x-clevertap-account-id': 'TEST-ACCOUNT' } })
      .reply(200, { status: 'success' })
    expect(await connector({ baseUrl: undefined, dispatcher: mock }).check()).toMatchObject({ ok: true })
    mock.assertNoPendingInterceptors()
  })

  it('has nothing to prepare', async () => {
    const request = { object: 'profile', options: {}, fields: { plan: 'string' as const } }
    expect(await connector().prepare(request)).toEqual({ created: [], existing: [] })
    expect(await connector().missing(request)).toEqual([])
    expect(clevertap.requests()).toEqual([])
  })
})

describe('CleverTap connector: profile', () => {
  it('creates new identities and updates existing ones, with $D_ dates stored as dates', async () => {
    await connector().deliver(profiles([profile('u1', { Name: 'Ada', plan: 'free' })]), OPEN_GATE)
    const dob = new Date('1990-04-01T00:00:00Z')
    const results = await connector().deliver(
      profiles([profile('u1', { plan: 'pro', DOB: dob, 'MSG-email': true }), profile('u2', { Name: 'Bo', Age: 41 })]),
      OPEN_GATE,
    )
    expect(statuses(results)).toEqual(['u1 accepted', 'u2 accepted'])
    expect(clevertap.state().profiles.map((stored) => [stored.identifiers.identity, stored.profileData])).toEqual([
      ['u1', { Name: 'Ada', plan: 'pro', DOB: dob.toISOString(), 'MSG-email': true }],
      ['u2', { Name: 'Bo', Age: 41 }],
    ])
    expect(operations()).toEqual(['upload 200', 'upload 200'])
  })

  it('rejects the records CleverTap skips, by record number, with their codes', async () => {
    const results = await connector().deliver(
      profiles([profile('ok-1'), profile('bad-gender', { Gender: 'X' }), profile('ok-2'), profile('bad-email', { Email: 'nope' })]),
      OPEN_GATE,
    )
    expect(results).toEqual([
      { key: 'ok-1', status: 'accepted' },
      {
        key: 'bad-gender',
        status: 'rejected',
        code: 'clevertap_514',
        message: "'Gender' must be M or F. Skipped record number : 2 (POST /1/upload)",
      },
      { key: 'ok-2', status: 'accepted' },
      {
        key: 'bad-email',
        status: 'rejected',
        code: 'clevertap_515',
        message: expect.stringContaining('Skipped record number : 4') as unknown,
      },
    ])
    expect(clevertap.state().profiles.map((stored) => stored.identifiers.identity)).toEqual(['ok-1', 'ok-2'])
  })

  it('uploads a batch of 1,000 profiles in one call', async () => {
    const records = Array.from({ length: connector().limits('profile').batchSize }, (_, i) => profile(`u${i}`, { rank: i }))
    const results = await connector().deliver(profiles(records), OPEN_GATE)
    expect(results).toHaveLength(1000)
    expect(results.every((result) => result.status === 'accepted')).toBe(true)
    expect(clevertap.state().profiles).toHaveLength(1000)
    expect(operations()).toEqual(['upload 200'])
  })

  it('fails a server fault (555) and, when a skip names no record, every other profile', async () => {
    const unprocessed = [
      { status: 'fail', code: 555, error: 'Internal error. Skipped record number : 1', record: '{}' },
      { status: 'fail', code: 523, error: 'Identity is missing.', record: '{"not":"sent"}' },
    ]
    clevertap.setFaults([{ kind: 'status', status: 200, count: 1, body: { status: 'fail', processed: 0, unprocessed } }])
    const results = await connector().deliver(profiles([profile('u1'), profile('u2')]), OPEN_GATE)
    expect(statuses(results)).toEqual(['u1 failed vendor_error', 'u2 failed unattributed_error'])
    expect(results[0]).toMatchObject({ message: expect.stringContaining('[clevertap_555]') as unknown })
  })
})

describe('CleverTap connector: event', () => {
  it('appends events with evtData, ts in epoch seconds, and sends a repeated key once', async () => {
    await connector().deliver(profiles([profile('u1', { Name: 'Ada' })]), OPEN_GATE)
    const at = new Date('2024-05-06T07:08:09.500Z')
    const startedAt = Math.floor(Date.now() / 1000)
    const paid = event('e1', { identity: 'u1', evtName: 'Paid', ts: at, amount: 12.5, renews: new Date('2025-01-01T00:00:00Z') })
    const results = await connector().deliver(events([paid, event('e2', { identity: 'u2', evtName: 'Visited' }), paid]), OPEN_GATE)
    expect(statuses(results)).toEqual(['e1 accepted', 'e2 accepted', 'e1 accepted'])
    const [first, second] = clevertap.state().events
    expect(clevertap.state().events).toHaveLength(2)
    expect(first).toEqual({
      identifiers: { identity: 'u1' },
      evtName: 'Paid',
      ts: Math.floor(at.getTime() / 1000),
      evtData: { amount: 12.5, renews: '2025-01-01T00:00:00.000Z' },
    })
    expect(second).toMatchObject({ identifiers: { identity: 'u2' }, evtName: 'Visited', evtData: {} })
    expect(second!.ts).toBeGreaterThanOrEqual(startedAt)
    expect(clevertap.state().profiles.find((stored) => stored.identifiers.identity === 'u1')?.profileData).toEqual({ Name: 'Ada' })
  })

  it('rejects events without identity, without a name, or with a ts not in epoch seconds', async () => {
    const results = await connector().deliver(
      events([
        event('no-identity', { evtName: 'Paid' }),
        event('ok', { identity: 'u1', evtName: 'Paid' }),
        event('no-name', { identity: 'u1' }),
        event('ts-in-ms', { identity: 'u1', evtName: 'Paid', ts: 1_714_979_289_000 }),
      ]),
      OPEN_GATE,
    )
    expect(statuses(results)).toEqual([
      'no-identity rejected clevertap_523',
      'ok accepted',
      'no-name rejected clevertap_509',
      'ts-in-ms rejected clevertap_525',
    ])
    expect(clevertap.state().events).toHaveLength(1)
  })
})

describe('CleverTap connector: failures', () => {
  it('throws DESTINATION_AUTH on a refused passcode and changes nothing', async () => {
    await connector().deliver(profiles([profile('u1', { Name: 'Ada' })]), OPEN_GATE)
    const before = clevertap.state()
    const delivery = connector({ passcode: 'revoked-pass-12' }).deliver(profiles([profile('u1', { Name: 'Eve' })]), OPEN_GATE)
    await expect(delivery).rejects.toMatchObject({
      code: 'DESTINATION_AUTH',
      message: expect.not.stringContaining('revoked-pass-12') as unknown,
    })
    expect(clevertap.state()).toEqual(before)
  })

  it('fails every record on a 5xx, and on a dropped connection', async () => {
    clevertap.setFaults([
      { kind: 'status', status: 503, count: 1 },
      { kind: 'drop', count: 1 },
    ])
    const batch = profiles([profile('u1'), profile('u2')])
    expect(statuses(await connector().deliver(batch, OPEN_GATE))).toEqual(['u1 failed vendor_error', 'u2 failed vendor_error'])
    expect(await connector().deliver(batch, OPEN_GATE)).toMatchObject([
      { status: 'failed', code: 'network', message: expect.stringContaining('POST /1/upload: no response') as unknown },
      { status: 'failed', code: 'network' },
    ])
    expect(clevertap.state().profiles).toEqual([])
  })

  it('fails every record on a 429, with the delay from Retry-After when sent', async () => {
    clevertap.setFaults([{ kind: 'status', status: 429, count: 1, retryAfterSeconds: 2 }])
    expect(await connector().deliver(events([event('e1', { identity: 'u1', evtName: 'Paid' })]), OPEN_GATE)).toEqual([
      { key: 'e1', status: 'failed', code: 'rate_limited', message: 'Too Many Requests (HTTP 429, POST /1/upload)', retryAfterMs: 2000 },
    ])
    expect(clevertap.state().events).toEqual([])
  })

  it('throws DESTINATION_REQUEST_INVALID for an upload over 1,000 records', async () => {
    const oversized = profiles(Array.from({ length: 1001 }, (_, i) => profile(`u${i}`)))
    await expect(connector().deliver(oversized, OPEN_GATE)).rejects.toMatchObject({
      code: 'DESTINATION_REQUEST_INVALID',
      message: expect.stringContaining('At most 1000 records may be uploaded per request (HTTP 400, POST /1/upload)') as unknown,
    })
    expect(clevertap.state().profiles).toEqual([])
  })
})

describe('CleverTap connector: concurrency', () => {
  it('declares 1,000 records an upload, 15 in flight, and no rate limit', () => {
    expect(connector().limits('event')).toEqual({ batchSize: 1000, concurrency: 15, requestsPerBatch: { upload: 1 } })
    expect(connector().rateLimits).toEqual([])
  })

  it('gets no 429 with at most limits().concurrency uploads in flight, and fails the excess without it', async () => {
    const slow = await startOwn({ uploadLatencyMs: 300 })
    const slowConnector = connector({ baseUrl: slow.url })
    const tasks = Array.from({ length: 20 }, (_, i) => () => slowConnector.deliver(profiles([profile(`u${i}`)]), OPEN_GATE))
    const pooled = await runPool(tasks, slowConnector.limits('profile').concurrency)
    expect(pooled.flat().every((result) => result.status === 'accepted')).toBe(true)
    expect(slow.requests().filter((entry) => entry.status === 429)).toEqual([])
    expect(slow.state().profiles).toHaveLength(20)

    // The same twenty at once: CleverTap turns away what is over 15 in flight.
    const unpooled = (await Promise.all(tasks.map((task) => task()))).flat()
    const failed = unpooled.filter((result) => result.status === 'failed')
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every((result) => result.code === 'rate_limited')).toBe(true)
  })
})
