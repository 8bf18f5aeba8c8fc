import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import { ManualClock, startBrazeEmulator, type BrazeEmulator, type BrazeEmulatorConfig } from '../../providers/emulators.js'
import { DEFAULT_AUTH, http, type HttpOptions } from './http.js'

let braze: BrazeEmulator

beforeAll(async () => {
  braze = await startBrazeEmulator({ segments: [{ id: 'seg-1', name: 'Everyone', analytics_tracking_enabled: true, tags: ['all'] }] })
})
afterAll(() => braze.stop())
beforeEach(() => braze.reset())

function call(method: string, path: string, options: HttpOptions = {}, emulator: BrazeEmulator = braze) {
  return http(emulator.url, method, path, { ...options, headers: { ...DEFAULT_AUTH.braze, ...options.headers } })
}

function track(body: object, emulator: BrazeEmulator = braze) {
  return call('POST', '/users/track', { body }, emulator)
}

async function startOwn(config: BrazeEmulatorConfig): Promise<BrazeEmulator> {
  const emulator = await startBrazeEmulator(config)
  onTestFinished(() => emulator.stop())
  return emulator
}

async function exportIds(externalIds: string[]) {
  return (await call('POST', '/users/export/ids', { body: { external_ids: externalIds } })).body as { users: Record<string, unknown>[] }
}

describe('Braze emulator: keys and permissions', () => {
  it('answers 401 to an unknown key', async () => {
    expect(await http(braze.url, 'GET', '/segments/list', { headers: { authorization: 'Bearer nope' } })).toMatchObject({
      status: 401,
      body: { message: 'Invalid API Key' },
    })
  })

  it('answers 403 Access Denied when the key lacks the endpoint permission', async () => {
    const emulator = await startOwn({ apiKeys: [{ key: 'track-only', permissions: ['users.track'] }] })
    const as = (method: string, path: string, body?: object) =>
      http(emulator.url, method, path, { body, headers: { authorization: 'Bearer track-only' } })
    expect(await as('GET', '/segments/list')).toMatchObject({ status: 403, body: { message: 'Access Denied' } })
    expect((await as('POST', '/users/track', { attributes: [{ external_id: 'u1' }] })).status).toBe(201)
  })

  it('lists segments, 100 a page, with segments.list', async () => {
    expect(await call('GET', '/segments/list?page=0')).toMatchObject({
      status: 200,
      body: { message: 'success', segments: [{ id: 'seg-1', name: 'Everyone', analytics_tracking_enabled: true, tags: ['all'] }] },
    })
    expect((await call('GET', '/segments/list?page=1')).body).toEqual({ message: 'success', segments: [] })
  })
})

describe('Braze emulator: /users/track', () => {
  it('answers 201 with counts for the arrays sent, and stores users, events and purchases', async () => {
    const answer = await track({
      attributes: [{ external_id: 'u1', first_name: 'Ada', email: 'ada@example.com', plan: 'pro' }],
      events: [{ external_id: 'u1', name: 'signup', time: '2024-01-15T10:00:00Z', properties: { source: 'web' } }],
      purchases: [{ external_id: 'u1', product_id: 'seat', currency: 'usd', price: 10, quantity: 2, time: '2024-01-15T10:00:00Z' }],
    })
    expect(answer).toEqual({
      status: 201,
      headers: expect.any(Object) as unknown,
      body: { attributes_processed: 1, events_processed: 1, purchases_processed: 1, message: 'success' },
    })
    const [user] = (await exportIds(['u1'])).users
    expect(user).toMatchObject({ external_id: 'u1', first_name: 'Ada', email: 'ada@example.com', custom_attributes: { plan: 'pro' } })
    expect(user?.['custom_events']).toEqual([
      { name: 'signup', first: '2024-01-15T10:00:00.000Z', last: '2024-01-15T10:00:00.000Z', count: 1 },
    ])
    expect(braze.state().purchases).toEqual([expect.objectContaining({ product_id: 'seat', currency: 'USD', quantity: 2 })])
  })

  it('never deduplicates events', async () => {
    const event = { external_id: 'u1', name: 'login', time: '2024-01-15T10:00:00Z' }
    await track({ events: [event, event] })
    await track({ events: [event] })
    expect(braze.state().events).toHaveLength(3)
  })

  it('reports invalid objects in errors and still applies the valid ones (partial success)', async () => {
    const answer = await track({
      attributes: [{ external_id: 'u1', first_name: 'Ada' }, { first_name: 'nobody' }],
      events: [{ external_id: 'u1', time: '2024-01-15T10:00:00Z' }],
      purchases: [{ external_id: 'u1', product_id: 'seat', currency: 'USD', price: 1, quantity: 'two', time: '2024-01-15T10:00:00Z' }],
    })
    expect(answer.status).toBe(201)
    expect(answer.body).toEqual({
      attributes_processed: 1,
      events_processed: 0,
      purchases_processed: 0,
      message: 'success',
      errors: [
        { type: "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required", input_array: 'attributes', index: 1 },
        { type: "'name' is required", input_array: 'events', index: 0 },
        { type: "'quantity' is not valid", input_array: 'purchases', index: 0 },
      ],
    })
    expect(braze.state().users).toHaveLength(1)
  })

  it('answers 400 when no object is valid', async () => {
    expect(await track({ events: [{ name: 'x', time: 'yesterday', external_id: 'u1' }] })).toMatchObject({
      status: 400,
      body: {
        message: "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.",
        errors: [{ type: "'time' is not valid", input_array: 'events', index: 0 }],
      },
    })
  })

  it('answers 400 Max Input Length Exceeded above 75 objects in an array', async () => {
    const attributes = Array.from({ length: 76 }, (_, i) => ({ external_id: `u${i}` }))
    expect(await track({ attributes })).toMatchObject({ status: 400, body: { message: 'Max Input Length Exceeded' } })
    expect(
      (await track({ attributes: attributes.slice(0, 75), events: [{ external_id: 'u1', name: 'e', time: '2024-01-01' }] })).status,
    ).toBe(201)
  })

  it('can cap objects across the three arrays', async () => {
    const emulator = await startOwn({ maxObjectsPerRequest: 2 })
    const answer = await track(
      { attributes: [{ external_id: 'a' }, { external_id: 'b' }], events: [{ external_id: 'a', name: 'e', time: '2024-01-01' }] },
      emulator,
    )
    expect(answer).toMatchObject({ status: 400, body: { message: 'Max Input Length Exceeded' } })
  })

  it('creates users for unknown external_ids unless _update_existing_only is true', async () => {
    await track({ attributes: [{ external_id: 'u1', _update_existing_only: true, first_name: 'A' }] })
    expect(braze.state().users).toEqual([])
    await track({ attributes: [{ external_id: 'u1', first_name: 'A' }] })
    expect(braze.state().users).toHaveLength(1)
  })

  it('updates existing alias profiles only, unless _update_existing_only is false', async () => {
    const alias = { alias_name: 'anon-1', alias_label: 'anonymous' }
    await track({ attributes: [{ user_alias: alias, first_name: 'A' }] })
    expect(braze.state().users).toEqual([])
    await track({ attributes: [{ user_alias: alias, _update_existing_only: false, first_name: 'A' }] })
    await track({ attributes: [{ user_alias: alias, last_name: 'B' }] })
    expect(braze.state().users).toEqual([
      expect.objectContaining({ user_aliases: [alias], attributes: { first_name: 'A', last_name: 'B' } }),
    ])
  })

  it('creates an email-only profile, and sends later email updates to the identified profile', async () => {
    await track({ attributes: [{ email: 'ada@example.com', first_name: 'Email only' }] })
    await track({ attributes: [{ external_id: 'u1', email: 'ada@example.com' }] })
    expect(braze.state().users).toHaveLength(2)
    await track({ attributes: [{ email: 'ada@example.com', last_name: 'Lovelace' }] })
    const identified = braze.state().users.find((u) => u.external_id === 'u1')
    expect(identified?.attributes).toMatchObject({ email: 'ada@example.com', last_name: 'Lovelace' })
  })

  it('applies increments, array additions and removals, and null removal of custom attributes', async () => {
    await track({ attributes: [{ external_id: 'u1', logins: 1, tags: ['a'], nickname: 'x' }] })
    await track({ attributes: [{ external_id: 'u1', logins: { inc: 2 }, tags: { add: ['b', 'a'] }, nickname: null }] })
    await track({ attributes: [{ external_id: 'u1', tags: { remove: ['a'] } }] })
    expect(braze.state().users[0]?.custom_attributes).toEqual({ logins: 3, tags: ['b'] })
  })

  it('stores an unmappable country as null, ignores an unknown time zone and clamps future event times to now', async () => {
    const clock = new ManualClock(Date.parse('2024-06-01T00:00:00Z'))
    const emulator = await startOwn({ clock })
    await track(
      {
        attributes: [{ external_id: 'u1', country: 'Germany', time_zone: 'Mars/Base' }],
        events: [{ external_id: 'u1', name: 'e', time: '2030-01-01T00:00:00Z' }],
      },
      emulator,
    )
    expect(emulator.state().users[0]?.attributes).toEqual({ country: null })
    expect(emulator.state().events[0]?.time).toBe('2024-06-01T00:00:00.000Z')
  })

  it('reads the colon-millisecond time format and zone-less times as UTC', async () => {
    await track({
      events: [
        { external_id: 'u1', name: 'e', time: '2024-01-15T10:00:00:123Z' },
        { external_id: 'u1', name: 'e', time: '2024-01-15 10:00:00' },
      ],
    })
    expect(braze.state().events.map((e) => e.time)).toEqual(['2024-01-15T10:00:00.123Z', '2024-01-15T10:00:00.000Z'])
  })

  it('reports reserved event property keys', async () => {
    const answer = await track({
      events: [
        { external_id: 'u1', name: 'e', time: '2024-01-01', properties: { time: 'x' } },
        { external_id: 'u1', name: 'ok', time: '2024-01-01' },
      ],
    })
    expect(answer.body).toMatchObject({ events_processed: 1, errors: [{ input_array: 'events', index: 0 }] })
  })

  it('answers 400 to a body whose arrays are not arrays of objects', async () => {
    expect(await track({ attributes: 'u1' })).toMatchObject({ status: 400, body: { message: 'Bad Request' } })
  })
})

describe('Braze emulator: rate limits', () => {
  it('sends lowercase x-ratelimit headers with an epoch-second reset, and 429 beyond the window', async () => {
    const clock = new ManualClock(Date.parse('2024-06-01T00:00:00Z'))
    const emulator = await startOwn({ clock, rateLimits: { usersTrack: { limit: 2, windowMs: 3000 } } })
    const body = { attributes: [{ external_id: 'u1' }] }
    const first = await track(body, emulator)
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': String(Date.parse('2024-06-01T00:00:03Z') / 1000),
    })
    expect((await track(body, emulator)).headers['x-ratelimit-remaining']).toBe('0')
    const refused = await track(body, emulator)
    expect(refused).toMatchObject({ status: 429, body: { message: 'Rate Limited' } })
    expect(refused.headers['retry-after']).toBeUndefined()
    clock.advance(3000)
    expect((await track(body, emulator)).status).toBe(201)
  })

  it('counts each endpoint group in its own window', async () => {
    const emulator = await startOwn({ clock: new ManualClock(), rateLimits: { usersTrack: { limit: 1, windowMs: 3000 } } })
    await track({ attributes: [{ external_id: 'u1' }] }, emulator)
    expect((await track({ attributes: [{ external_id: 'u1' }] }, emulator)).status).toBe(429)
    const segments = await call('GET', '/segments/list', {}, emulator)
    expect(segments.status).toBe(200)
    expect(segments.headers['x-ratelimit-limit']).toBe('250000')
  })
})

describe('Braze emulator: delete and export', () => {
  it('deletes up to 50 users of one identifier kind and counts them', async () => {
    await track({ attributes: [{ external_id: 'u1' }, { external_id: 'u2' }] })
    expect(await call('POST', '/users/delete', { body: { external_ids: ['u1', 'u2', 'u3'] } })).toMatchObject({
      status: 201,
      body: { deleted: 2 },
    })
    expect(braze.state().users).toEqual([])
  })

  it('refuses more than 50 ids, or two identifier kinds', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `u${i}`)
    expect(await call('POST', '/users/delete', { body: { external_ids: ids } })).toMatchObject({
      status: 400,
      body: { message: 'The max number of ids per request was exceeded' },
    })
    expect((await call('POST', '/users/delete', { body: { external_ids: ['u1'], braze_ids: ['b'] } })).status).toBe(400)
  })

  it('deletes by email only when prioritization leaves one user', async () => {
    await track({ attributes: [{ email: 'ada@example.com' }] })
    await track({ attributes: [{ external_id: 'u1', email: 'ada@example.com' }] })
    const byEmail = (prioritization: string[]) =>
      call('POST', '/users/delete', { body: { email_addresses: [{ email: 'ada@example.com', prioritization }] } })
    expect((await byEmail([])).body).toEqual({ deleted: 0 })
    expect((await byEmail(['unidentified'])).body).toEqual({ deleted: 1 })
    expect(braze.state().users.map((u) => u.external_id)).toEqual(['u1'])
  })

  it('exports users by external id, listing unknown ids, and picks fields_to_export', async () => {
    await track({ attributes: [{ external_id: 'u1', first_name: 'Ada' }] })
    const answer = await call('POST', '/users/export/ids', {
      body: { external_ids: ['u1', 'ghost'], fields_to_export: ['external_id', 'first_name'] },
    })
    expect(answer).toMatchObject({
      status: 201,
      body: { users: [{ external_id: 'u1', first_name: 'Ada' }], invalid_user_ids: ['ghost'], message: 'success' },
    })
    const ids = Array.from({ length: 51 }, (_, i) => `u${i}`)
    expect(await call('POST', '/users/export/ids', { body: { external_ids: ids } })).toMatchObject({
      status: 400,
      body: { message: 'The max number of external_ids and aliases per request was exceeded' },
    })
  })
})
