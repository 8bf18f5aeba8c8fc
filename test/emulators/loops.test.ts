import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import { ManualClock, loopsOpenApi, startLoopsEmulator, type LoopsEmulator, type LoopsEmulatorConfig } from '../../providers/emulators.js'
import { DEFAULT_AUTH, http, type HttpOptions } from './http.js'
import { ExchangeRecorder } from './openapi-exchanges.js'

const recorder = new ExchangeRecorder()
const SEED: LoopsEmulatorConfig = {
  mailingLists: [{ id: 'list_news', name: 'News', description: null, isPublic: true }],
  customProperties: [
    { name: 'plan', type: 'string' },
    { name: 'seats', type: 'number' },
  ],
  onExchange: recorder.record,
}
let loops: LoopsEmulator

beforeAll(async () => {
  loops = await startLoopsEmulator({ ...SEED, rateLimit: false })
})
afterAll(() => loops.stop())
beforeEach(() => loops.reset())

/** A request with the default API key. */
function call(method: string, path: string, options: HttpOptions = {}, emulator: LoopsEmulator = loops) {
  return http(emulator.url, method, path, { ...options, headers: { ...DEFAULT_AUTH.loops, ...options.headers } })
}

async function startOwn(config: LoopsEmulatorConfig): Promise<LoopsEmulator> {
  const emulator = await startLoopsEmulator({ ...SEED, ...config })
  onTestFinished(() => emulator.stop())
  return emulator
}

describe('Loops emulator: auth and rate limits', () => {
  it('answers GET /v1/api-key with the team name', async () => {
    expect(await call('GET', '/v1/api-key')).toMatchObject({ status: 200, body: { success: true, teamName: 'Outflow Emulator' } })
  })

  it('rejects a missing or wrong key with the documented 401 body', async () => {
    const expected = { status: 401, body: { success: false, message: 'Invalid API key', error: 'Invalid API key' } }
    expect(await http(loops.url, 'GET', '/v1/api-key')).toMatchObject(expected)
    expect(await http(loops.url, 'GET', '/v1/contacts/find?email=a@b.co', { headers: { authorization: 'Bearer nope' } })).toMatchObject(
      expected,
    )
  })

  it('sends x-ratelimit headers on every answer and 429 beyond the bucket, refilled by the clock', async () => {
    const clock = new ManualClock()
    const emulator = await startOwn({ clock, rateLimit: { limit: 3, windowMs: 1000 } })
    const remaining = []
    for (let i = 0; i < 3; i++) remaining.push((await call('GET', '/v1/lists', {}, emulator)).headers['x-ratelimit-remaining'])
    expect(remaining).toEqual(['2', '1', '0'])
    const refused = await call('GET', '/v1/lists', {}, emulator)
    expect(refused).toMatchObject({ status: 429, body: { success: false, message: 'Rate limit exceeded.' } })
    expect(refused.headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '0' })
    expect(refused.headers['retry-after']).toBeUndefined()
    clock.advance(334)
    expect((await call('GET', '/v1/lists', {}, emulator)).status).toBe(200)
  })

  it('keeps one bucket per API key, and sends Retry-After when asked to', async () => {
    const emulator = await startOwn({
      apiKeys: ['key-a', 'key-b'],
      rateLimit: { limit: 1, windowMs: 60_000 },
      retryAfter: true,
      clock: new ManualClock(),
    })
    const as = (key: string) => http(emulator.url, 'GET', '/v1/lists', { headers: { authorization: `Bearer ${key}` } })
    expect((await as('key-a')).status).toBe(200)
    const refused = await as('key-a')
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('60')
    expect((await as('key-b')).status).toBe(200)
  })

  it('defaults to 10 requests per second', async () => {
    const emulator = await startOwn({ clock: new ManualClock() })
    const statuses = []
    for (let i = 0; i < 11; i++) statuses.push((await call('GET', '/v1/api-key', {}, emulator)).status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(10)
    expect(statuses.at(-1)).toBe(429)
  })
})

describe('Loops emulator: contacts', () => {
  it('creates a contact with Loops defaults and finds it as a one-element array', async () => {
    const created = await call('POST', '/v1/contacts/create', { body: { email: 'ada@example.com', firstName: 'Ada', plan: 'pro' } })
    expect(created).toMatchObject({ status: 200, body: { success: true, id: expect.stringMatching(/^c[0-9a-z]{24}$/) as unknown } })
    const found = await call('GET', '/v1/contacts/find?email=ada%40example.com')
    expect(found.body).toEqual([
      {
        id: (created.body as { id: string }).id,
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: null,
        source: 'API',
        subscribed: true,
        userGroup: '',
        userId: null,
        mailingLists: {},
        optInStatus: null,
        plan: 'pro',
      },
    ])
    expect((await call('GET', '/v1/contacts/find?userId=nobody')).body).toEqual([])
  })

  it('answers 409 to a duplicate email (any case) or userId on create', async () => {
    await call('POST', '/v1/contacts/create', { body: { email: 'ada@example.com', userId: 'u1' } })
    const conflict = { status: 409, body: { success: false, message: 'Email or userId is already on list.' } }
    expect(await call('POST', '/v1/contacts/create', { body: { email: 'ADA@example.com' } })).toMatchObject(conflict)
    expect(await call('POST', '/v1/contacts/create', { body: { email: 'other@example.com', userId: 'u1' } })).toMatchObject(conflict)
  })

  it('rejects an invalid or missing email on create with 400', async () => {
    expect(await call('POST', '/v1/contacts/create', { body: { email: 'not-an-email' } })).toMatchObject({
      status: 400,
      body: { success: false, message: 'Invalid email address.' },
    })
    const missing = await call('POST', '/v1/contacts/create', { body: { firstName: 'Ada' } })
    expect(missing).toMatchObject({
      status: 400,
      body: { success: false, message: expect.stringContaining("required property 'email'") as unknown },
    })
  })

  it('upserts by either identifier and fills in the other one', async () => {
    const created = await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com' } })
    expect(created).toMatchObject({ status: 200, body: { success: true } })
    const id = (created.body as { id: string }).id
    expect((await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', userId: 'u1', lastName: 'L' } })).body).toEqual({
      success: true,
      id,
    })
    expect(loops.state().contacts).toEqual([expect.objectContaining({ id, email: 'ada@example.com', userId: 'u1', lastName: 'L' })])
  })

  it('changes the email of a contact found by userId', async () => {
    await call('PUT', '/v1/contacts/update', { body: { email: 'old@example.com', userId: 'u1' } })
    await call('PUT', '/v1/contacts/update', { body: { email: 'new@example.com', userId: 'u1' } })
    expect(loops.state().contacts.map((c) => c['email'])).toEqual(['new@example.com'])
  })

  it('creates with both identifiers when neither matches, and refuses a userId alone that matches nothing', async () => {
    await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', userId: 'u1' } })
    expect(loops.state().contacts).toEqual([expect.objectContaining({ email: 'ada@example.com', userId: 'u1' })])
    expect(await call('PUT', '/v1/contacts/update', { body: { userId: 'u2', firstName: 'X' } })).toMatchObject({
      status: 400,
      body: { success: false, message: 'Contact not found.' },
    })
  })

  it('answers 400 "Multiple contacts found" when the identifiers point to two contacts', async () => {
    await call('POST', '/v1/contacts/create', { body: { email: 'a@example.com', userId: 'ua' } })
    await call('POST', '/v1/contacts/create', { body: { email: 'b@example.com', userId: 'ub' } })
    const expected = { status: 400, body: { success: false, message: 'Multiple contacts found for the given criteria' } }
    expect(await call('PUT', '/v1/contacts/update', { body: { email: 'a@example.com', userId: 'ub' } })).toMatchObject(expected)
    expect(await call('POST', '/v1/events/send', { body: { eventName: 'x', email: 'a@example.com', userId: 'ub' } })).toMatchObject(
      expected,
    )
  })

  it('unsubscribes with subscribed:false and re-subscribes with subscribed:true', async () => {
    await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', subscribed: false } })
    expect(loops.state().contacts[0]?.['subscribed']).toBe(false)
    await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', subscribed: true } })
    expect(loops.state().contacts[0]?.['subscribed']).toBe(true)
  })

  it('finds by exactly one identifier', async () => {
    const oneOnly = await call('GET', '/v1/contacts/find?email=a%40b.co&userId=u1')
    expect(oneOnly).toMatchObject({ status: 400, body: { success: false, message: 'Provide either email or userId, not both.' } })
    expect((await call('GET', '/v1/contacts/find')).status).toBe(400)
  })

  it('deletes by exactly one identifier, with 404 for a missing contact', async () => {
    await call('POST', '/v1/contacts/create', { body: { email: 'ada@example.com', userId: 'u1' } })
    expect(await call('POST', '/v1/contacts/delete', { body: { email: 'ada@example.com', userId: 'u1' } })).toMatchObject({ status: 400 })
    expect(await call('POST', '/v1/contacts/delete', { body: {} })).toMatchObject({ status: 400 })
    expect(await call('POST', '/v1/contacts/delete', { body: { userId: 'u1' } })).toMatchObject({
      status: 200,
      body: { success: true, message: 'Contact deleted.' },
    })
    expect(await call('POST', '/v1/contacts/delete', { body: { userId: 'u1' } })).toMatchObject({
      status: 404,
      body: { success: false, message: 'Contact not found.' },
    })
  })

  it('answers 405 to a wrong method and 404 to an unknown path, in the Loops error shape', async () => {
    const wrongMethod = await call('GET', '/v1/contacts/create')
    expect(wrongMethod).toMatchObject({ status: 405, body: { success: false, message: 'Method Not Allowed' } })
    expect(wrongMethod.headers['allow']).toBe('POST')
    expect(await call('GET', '/v1/nothing')).toMatchObject({ status: 404, body: { success: false } })
  })

  it('limits string values to 500 characters', async () => {
    const long = await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', firstName: 'x'.repeat(501) } })
    expect(long).toMatchObject({ status: 400, body: { success: false, message: '"firstName" must be at most 500 characters.' } })
    expect((await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', firstName: 'x'.repeat(500) } })).status).toBe(200)
  })
})

describe('Loops emulator: properties and mailing lists', () => {
  it('creates custom properties and lists them with or without the standard ones', async () => {
    expect(await call('POST', '/v1/contacts/properties', { body: { name: 'favoriteColor', type: 'string' } })).toMatchObject({
      status: 200,
      body: { success: true },
    })
    const custom = await call('GET', '/v1/contacts/properties?list=custom')
    expect(custom.body).toContainEqual({ key: 'favoriteColor', label: 'Favorite color', type: 'string' })
    expect(custom.body).not.toContainEqual(expect.objectContaining({ key: 'email' }))
    expect((await call('GET', '/v1/contacts/properties')).body).toContainEqual({ key: 'email', label: 'Email', type: 'string' })
  })

  it('refuses an existing, reserved or badly typed property', async () => {
    expect(await call('POST', '/v1/contacts/properties', { body: { name: 'plan', type: 'string' } })).toMatchObject({
      status: 400,
      body: { success: false, message: 'Property already exists.' },
    })
    expect((await call('POST', '/v1/contacts/properties', { body: { name: 'email', type: 'string' } })).status).toBe(400)
    expect((await call('POST', '/v1/contacts/properties', { body: { name: 'teamId', type: 'string' } })).status).toBe(400)
    expect((await call('POST', '/v1/contacts/properties', { body: { name: 'size', type: 'integer' } })).status).toBe(400)
  })

  it('rejects an undeclared property by default, and can ignore or accept it', async () => {
    const body = { email: 'ada@example.com', favoriteColor: 'blue' }
    expect(await call('PUT', '/v1/contacts/update', { body })).toMatchObject({ status: 400, body: { success: false } })
    const ignoring = await startOwn({ undeclaredProperties: 'ignore', rateLimit: false })
    expect((await call('PUT', '/v1/contacts/update', { body }, ignoring)).status).toBe(200)
    expect(ignoring.state().contacts[0]).not.toHaveProperty('favoriteColor')
    const accepting = await startOwn({ undeclaredProperties: 'accept', rateLimit: false })
    await call('PUT', '/v1/contacts/update', { body }, accepting)
    expect(accepting.state().contacts[0]).toHaveProperty('favoriteColor', 'blue')
  })

  it('checks property types and resets a value sent as null', async () => {
    expect((await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', seats: 'three' } })).status).toBe(400)
    await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', seats: 3 } })
    expect(loops.state().contacts[0]).toHaveProperty('seats', 3)
    await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', seats: null } })
    expect(loops.state().contacts[0]).not.toHaveProperty('seats')
  })

  it('lists seeded mailing lists and adds or removes contacts with mailingLists', async () => {
    expect((await call('GET', '/v1/lists')).body).toEqual([{ id: 'list_news', name: 'News', description: null, isPublic: true }])
    await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', mailingLists: { list_news: true } } })
    expect(loops.state().contacts[0]?.['mailingLists']).toEqual({ list_news: true })
    await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', mailingLists: { list_news: false } } })
    expect(loops.state().contacts[0]?.['mailingLists']).toEqual({})
  })

  it('rejects an unknown mailing list by default', async () => {
    const unknown = await call('PUT', '/v1/contacts/update', { body: { email: 'ada@example.com', mailingLists: { nope: true } } })
    expect(unknown).toMatchObject({ status: 400, body: { success: false, message: 'Mailing list "nope" does not exist.' } })
  })

  it('adds mailing lists and properties through POST /_emulator/seed, and reset keeps only the configured ones', async () => {
    const seeded = await http(loops.url, 'POST', '/_emulator/seed', { body: { mailingLists: [{ id: 'list_beta', name: 'Beta' }] } })
    expect(seeded).toMatchObject({ status: 200, body: { seeded: true } })
    expect((await call('GET', '/v1/lists')).body).toHaveLength(2)
    expect((await http(loops.url, 'POST', '/_emulator/seed', { body: { mailingLists: [{ id: 1 }] } })).status).toBe(400)
    loops.reset()
    expect(loops.state().mailingLists.map((l) => l.id)).toEqual(['list_news'])
  })
})

describe('Loops emulator: events', () => {
  it('records an event and creates the contact from its email', async () => {
    const sent = await call('POST', '/v1/events/send', {
      body: { eventName: 'signup', email: 'ada@example.com', eventProperties: { plan: 'pro' } },
    })
    expect(sent).toMatchObject({ status: 200, body: { success: true } })
    expect(loops.state().events).toEqual([
      expect.objectContaining({ eventName: 'signup', email: 'ada@example.com', eventProperties: { plan: 'pro' } }),
    ])
    expect(loops.state().contacts).toHaveLength(1)
  })

  it('refuses an event for an unknown userId without email', async () => {
    expect(await call('POST', '/v1/events/send', { body: { eventName: 'signup', userId: 'nobody' } })).toMatchObject({
      status: 400,
      body: { success: false, message: 'Contact not found.' },
    })
  })

  it('answers 409 to a reused Idempotency-Key, naming a different body', async () => {
    const send = (eventName: string) =>
      call('POST', '/v1/events/send', { body: { eventName, email: 'ada@example.com' }, headers: { 'idempotency-key': 'key-1' } })
    expect((await send('signup')).status).toBe(200)
    expect(await send('signup')).toMatchObject({ status: 409, body: { success: false, message: 'Idempotency key has been used.' } })
    expect(await send('other')).toMatchObject({
      status: 409,
      body: { success: false, message: 'Idempotency key already used with a different request body.' },
    })
    expect(loops.state().events).toHaveLength(1)
  })

  it('can answer a same-body replay with 200 without recording it twice', async () => {
    const emulator = await startOwn({ idempotentReplay: 'success', rateLimit: false })
    const send = () =>
      call(
        'POST',
        '/v1/events/send',
        { body: { eventName: 'signup', email: 'a@example.com' }, headers: { 'idempotency-key': 'k' } },
        emulator,
      )
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(200)
    expect(emulator.state().events).toHaveLength(1)
  })

  it('forgets a key after 24 hours and never burns one on a rejected send', async () => {
    const clock = new ManualClock()
    const emulator = await startOwn({ clock, rateLimit: false })
    const send = (body: object) => call('POST', '/v1/events/send', { body, headers: { 'idempotency-key': 'k' } }, emulator)
    expect((await send({ eventName: 'signup', userId: 'nobody' })).status).toBe(400)
    expect((await send({ eventName: 'signup', email: 'a@example.com' })).status).toBe(200)
    clock.advance(24 * 60 * 60 * 1000)
    expect((await send({ eventName: 'signup', email: 'a@example.com' })).status).toBe(200)
  })

  it('refuses an Idempotency-Key longer than 100 characters', async () => {
    const sent = await call('POST', '/v1/events/send', {
      body: { eventName: 'x', email: 'a@example.com' },
      headers: { 'idempotency-key': 'k'.repeat(101) },
    })
    expect(sent.status).toBe(400)
  })

  it('checks the body against the OpenAPI schema', async () => {
    const missing = await call('POST', '/v1/events/send', { body: { email: 'a@example.com' } })
    expect(missing).toMatchObject({ status: 400, body: { success: false, message: expect.stringContaining("'eventName'") as unknown } })
  })
})

describe('Loops emulator: OpenAPI conformance', () => {
  it('produced, in this file, only responses that match loops.json', () => {
    const { problems, operations, checked } = recorder.check(loopsOpenApi())
    expect(problems).toEqual([])
    expect(checked).toBeGreaterThan(50)
    expect([...operations].sort()).toEqual([
      'createContact',
      'createContactProperty',
      'deleteContact',
      'findContact',
      'listContactProperties',
      'listMailingLists',
      'sendEvent',
      'testApiKey',
      'updateContact',
    ])
  })
})
