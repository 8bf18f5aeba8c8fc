import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import { ManualClock, startCleverTapEmulator, type CleverTapEmulator, type CleverTapEmulatorConfig } from '../../providers/emulators.js'
import { DEFAULT_AUTH, http, type HttpOptions } from './http.js'

const MISSING_IDENTITY = "'identity' or 'fbId' or 'gpId' or 'objectId' is necessary under 120 chars to identify the user."
let clevertap: CleverTapEmulator

beforeAll(async () => {
  clevertap = await startCleverTapEmulator({ clock: new ManualClock(Date.parse('2024-06-01T00:00:00Z')) })
})
afterAll(() => clevertap.stop())
beforeEach(() => clevertap.reset())

function call(method: string, path: string, options: HttpOptions = {}, emulator: CleverTapEmulator = clevertap) {
  return http(emulator.url, method, path, { ...options, headers: { ...DEFAULT_AUTH.clevertap, ...options.headers } })
}

function upload(records: unknown[], emulator: CleverTapEmulator = clevertap) {
  return call('POST', '/1/upload', { body: { d: records } }, emulator)
}

async function startOwn(config: CleverTapEmulatorConfig): Promise<CleverTapEmulator> {
  const emulator = await startCleverTapEmulator(config)
  onTestFinished(() => emulator.stop())
  return emulator
}

describe('CleverTap emulator: credentials', () => {
  it('answers a wrong account, a wrong passcode or none with the recorded 401 body', async () => {
    const expected = { status: 401, body: { status: 'fail', error: 'Account ID is not valid', code: 401 } }
    expect(await http(clevertap.url, 'POST', '/1/upload', { body: { d: [] } })).toMatchObject(expected)
    const wrongAccount = { ...DEFAULT_AUTH.clevertap, 'x-clevertap-account-id': 'OTHER' }
    expect(await http(clevertap.url, 'POST', '/1/upload', { body: { d: [] }, headers: wrongAccount })).toMatchObject(expected)
    const wrongPasscode = { ...DEFAULT_AUTH.clevertap, 'x-clevertap-passcode': 'nope' }
    expect(await http(clevertap.url, 'GET', '/v1/connect?partner=outflow', { headers: wrongPasscode })).toMatchObject(expected)
  })

  it('answers the partner credential check', async () => {
    expect(await call('GET', '/v1/connect?partner=outflow')).toMatchObject({ status: 200, body: { status: 'success' } })
    expect((await call('GET', '/v1/connect')).status).toBe(400)
  })
})

describe('CleverTap emulator: /1/upload', () => {
  it('upserts profiles by identity, merges profileData and stores $D_ dates as dates', async () => {
    const first = await upload([{ type: 'profile', identity: 'u1', profileData: { Name: 'Ada', DOB: '$D_946684800', 'MSG-email': true } }])
    expect(first).toMatchObject({ status: 200, body: { status: 'success', processed: 1, unprocessed: [] } })
    await upload([{ type: 'profile', identity: 'u1', ts: 1717200000, profileData: { Email: 'ada@example.com' } }])
    expect(clevertap.state().profiles).toEqual([
      {
        identifiers: { identity: 'u1' },
        profileData: { Name: 'Ada', DOB: '2000-01-01T00:00:00.000Z', 'MSG-email': true, Email: 'ada@example.com' },
        createdTs: 1717200000,
        updatedTs: 1717200000,
      },
    ])
  })

  it('appends every event, creating the profile of an unknown identity', async () => {
    const event = { type: 'event', identity: 'u9', ts: 1717000000, evtName: 'Purchased', evtData: { amount: 5, at: '$D_1717000000' } }
    await upload([event, event])
    const state = clevertap.state()
    expect(state.events).toHaveLength(2)
    expect(state.events[0]).toEqual({
      identifiers: { identity: 'u9' },
      evtName: 'Purchased',
      ts: 1717000000,
      evtData: { amount: 5, at: '2024-05-29T16:26:40.000Z' },
    })
    expect(state.profiles.map((p) => p.identifiers)).toEqual([{ identity: 'u9' }])
  })

  it('answers 200 with the skipped records, their codes and 1-based record numbers', async () => {
    const noIdentity = { type: 'profile', profileData: { Name: 'X' } }
    const answer = await upload([{ type: 'profile', identity: 'u1', profileData: {} }, noIdentity, { type: 'event', identity: 'u1' }])
    expect(answer).toEqual({
      status: 200,
      headers: expect.any(Object) as unknown,
      body: {
        status: 'success',
        processed: 1,
        unprocessed: [
          { status: 'fail', code: 523, error: `${MISSING_IDENTITY} Skipped record number : 2`, record: JSON.stringify(noIdentity) },
          {
            status: 'fail',
            code: 509,
            error: 'Event name is mandatory. Skipped record number : 3',
            record: '{"type":"event","identity":"u1"}',
          },
        ],
      },
    })
  })

  it.each([
    [{ type: 'event', identity: 'u1', evtName: 'e', ts: 1717000000123 }, 525],
    [{ type: 'event', identity: 'u1', evtName: 'e', ts: '2024-01-01' }, 525],
    [{ type: 'event', identity: 'u1', evtName: 'App Launched' }, 513],
    [{ type: 'event', identity: 'u1', evtName: 'e', evtData: 'x' }, 512],
    [{ type: 'profile', identity: 'u1', profileData: { Email: 'not-an-email' } }, 515],
    [{ type: 'profile', identity: 'u1', profileData: { Phone: '0123' } }, 516],
    [{ type: 'profile', identity: 'u1', profileData: { Gender: 'X' } }, 514],
    [{ type: 'profile', identity: 'u1', profileData: { Age: 'old' } }, 520],
    [{ type: 'profile', identity: 'x'.repeat(120) }, 523],
    [{ type: 'user', identity: 'u1' }, 524],
  ])('skips %j with code %i', async (record, code) => {
    const answer = await upload([record])
    expect(answer.body).toMatchObject({
      status: 'success',
      processed: 0,
      unprocessed: [{ status: 'fail', code, record: JSON.stringify(record) }],
    })
    expect((answer.body as { unprocessed: { error: string }[] }).unprocessed[0]?.error).toMatch(/ Skipped record number : 1$/)
  })

  it('limits event properties (code 522)', async () => {
    const emulator = await startOwn({ maxEventProperties: 2 })
    const answer = await upload([{ type: 'event', identity: 'u1', evtName: 'e', evtData: { a: 1, b: 2, c: 3 } }], emulator)
    expect(answer.body).toMatchObject({ unprocessed: [{ code: 522 }] })
  })

  it('reports partial and fail by outcome when configured to', async () => {
    const emulator = await startOwn({ uploadStatus: 'by-outcome' })
    const good = { type: 'profile', identity: 'u1', profileData: {} }
    const bad = { type: 'profile', profileData: {} }
    expect((await upload([good, bad], emulator)).body).toMatchObject({ status: 'partial', processed: 1 })
    expect((await upload([bad], emulator)).body).toMatchObject({ status: 'fail', processed: 0 })
    expect((await upload([good], emulator)).body).toMatchObject({ status: 'success', processed: 1 })
  })

  it('refuses more than 1000 records per request (configurable)', async () => {
    const records = Array.from({ length: 1001 }, (_, i) => ({ type: 'profile', identity: `u${i}`, profileData: {} }))
    expect(await upload(records)).toMatchObject({ status: 400, body: { status: 'fail', code: 400 } })
    expect((await upload(records.slice(0, 1000))).body).toMatchObject({ processed: 1000 })
    const older = await startOwn({ maxRecordsPerUpload: 100 })
    expect((await upload(records.slice(0, 101), older)).status).toBe(400)
  })

  it('answers 429 "Too many concurrent requests" beyond the in-flight cap', async () => {
    const emulator = await startOwn({ maxConcurrentUploads: 2, uploadLatencyMs: 150 })
    const record = [{ type: 'profile', identity: 'u1', profileData: {} }]
    const answers = await Promise.all([upload(record, emulator), upload(record, emulator), upload(record, emulator)])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429])
    expect(answers.find((a) => a.status === 429)?.body).toEqual({ status: 'fail', error: 'Too many concurrent requests', code: 429 })
    expect((await upload(record, emulator)).status).toBe(200)
  })
})

describe('CleverTap emulator: profiles', () => {
  it('reads a profile by identity, email or objectId, with its events counted', async () => {
    await upload([
      { type: 'profile', identity: 'u1', profileData: { Email: 'ada@example.com' } },
      { type: 'event', identity: 'u1', evtName: 'Viewed', ts: 1717000000 },
    ])
    const byIdentity = await call('GET', '/1/profile.json?identity=u1')
    expect(byIdentity).toMatchObject({
      status: 200,
      body: { status: 'success', record: { identity: 'u1', profileData: { Email: 'ada@example.com' }, events: { Viewed: { count: 1 } } } },
    })
    expect((await call('GET', '/1/profile.json?email=ada%40example.com')).status).toBe(200)
    expect(await call('GET', '/1/profile.json?identity=ghost')).toMatchObject({ status: 404, body: { status: 'fail', code: 404 } })
  })

  it('deletes profiles by identity, at most 100 per request', async () => {
    await upload([
      { type: 'profile', identity: 'u1', profileData: {} },
      { type: 'profile', identity: 'u2', profileData: {} },
    ])
    expect(await call('POST', '/1/delete/profiles.json', { body: { identity: ['u1'] } })).toMatchObject({
      status: 200,
      body: { status: 'success' },
    })
    expect(clevertap.state().profiles.map((p) => p.identifiers.identity)).toEqual(['u2'])
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`)
    expect((await call('POST', '/1/delete/profiles.json', { body: { identity: many } })).status).toBe(400)
  })
})
