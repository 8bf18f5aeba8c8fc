import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'

import {
  ManualClock,
  courierOpenApi,
  startCourierEmulator,
  type CourierEmulator,
  type CourierEmulatorConfig,
} from '../../providers/emulators.js'
import { DEFAULT_AUTH, http, type HttpOptions } from './http.js'
import { ExchangeRecorder } from './openapi-exchanges.js'

const recorder = new ExchangeRecorder()
let courier: CourierEmulator

beforeAll(async () => {
  courier = await startCourierEmulator({ onExchange: recorder.record, listWriteLimit: false })
})
afterAll(() => courier.stop())
beforeEach(() => courier.reset())

function call(method: string, path: string, options: HttpOptions = {}, emulator: CourierEmulator = courier) {
  return http(emulator.url, method, path, { ...options, headers: { ...DEFAULT_AUTH.courier, ...options.headers } })
}

async function startOwn(config: CourierEmulatorConfig): Promise<CourierEmulator> {
  const emulator = await startCourierEmulator({ onExchange: recorder.record, ...config })
  onTestFinished(() => emulator.stop())
  return emulator
}

describe('Courier emulator: auth', () => {
  it('accepts a Bearer token or Basic auth carrying it, and answers 401 otherwise', async () => {
    const basic = `Basic ${Buffer.from('courier-test-token:').toString('base64')}`
    expect((await http(courier.url, 'GET', '/lists', { headers: { authorization: basic } })).status).toBe(200)
    expect(await http(courier.url, 'GET', '/lists', { headers: { authorization: 'Bearer nope' } })).toMatchObject({
      status: 401,
      body: { type: 'invalid_request_error', message: 'Unauthorized' },
    })
  })
})

describe('Courier emulator: profiles', () => {
  it('merges with POST and replaces with PUT, both 200 {"status":"SUCCESS"}', async () => {
    expect(await call('POST', '/profiles/u1', { body: { profile: { email: 'ada@example.com', custom: { plan: 'pro' } } } })).toMatchObject({
      status: 200,
      body: { status: 'SUCCESS' },
    })
    await call('POST', '/profiles/u1', { body: { profile: { phone_number: '+15550100' } } })
    expect((await call('GET', '/profiles/u1')).body).toEqual({
      profile: { email: 'ada@example.com', custom: { plan: 'pro' }, phone_number: '+15550100' },
      preferences: null,
    })
    expect((await call('PUT', '/profiles/u1', { body: { profile: { name: 'Ada' } } })).body).toEqual({ status: 'SUCCESS' })
    expect(courier.state().profiles['u1']?.profile).toEqual({ name: 'Ada' })
  })

  it('applies JSON Patch with PATCH and answers 204 (200 with legacy responses)', async () => {
    await call('POST', '/profiles/u1', { body: { profile: { email: 'old@example.com', locale: 'en' } } })
    const patch = [
      { op: 'replace', path: '/email', value: 'new@example.com' },
      { op: 'add', path: '/given_name', value: 'Ada' },
      { op: 'remove', path: '/locale', value: '' },
    ]
    expect(await call('PATCH', '/profiles/u1', { body: { patch } })).toMatchObject({ status: 204, body: undefined })
    expect(courier.state().profiles['u1']?.profile).toEqual({ email: 'new@example.com', given_name: 'Ada' })
    const legacy = await startOwn({ responseStyle: 'legacy' })
    expect(await call('PATCH', '/profiles/u1', { body: { patch: [{ op: 'add', path: '/name', value: 'A' }] } }, legacy)).toMatchObject({
      status: 200,
      body: { status: 'SUCCESS' },
    })
  })

  it('refuses a failing patch as a whole, with the documented 400 body', async () => {
    await call('POST', '/profiles/u1', { body: { profile: { email: 'a@example.com' } } })
    const patch = [
      { op: 'add', path: '/name', value: 'A' },
      { op: 'test', path: '/email', value: 'other@example.com' },
    ]
    expect(await call('PATCH', '/profiles/u1', { body: { patch } })).toMatchObject({
      status: 400,
      body: { type: 'invalid_request_error', message: 'patch operation 1 (test /email): test failed' },
    })
    expect(courier.state().profiles['u1']?.profile).toEqual({ email: 'a@example.com' })
  })

  it('answers 404 for an unknown profile and 204 on delete', async () => {
    expect(await call('GET', '/profiles/ghost')).toMatchObject({ status: 404, body: { type: 'invalid_request_error' } })
    await call('POST', '/profiles/u1', { body: { profile: {} } })
    expect(await call('DELETE', '/profiles/u1')).toMatchObject({ status: 204, body: undefined })
    expect(courier.state().profiles).toEqual({})
  })

  it('checks request bodies against courier.json', async () => {
    expect(await call('POST', '/profiles/u1', { body: { email: 'a@example.com' } })).toMatchObject({
      status: 400,
      body: { type: 'invalid_request_error', message: expect.stringContaining("'profile'") as unknown },
    })
  })
})

describe('Courier emulator: lists and subscriptions', () => {
  it('creates lists with PUT (204) and lists them under items, filtered by pattern', async () => {
    expect((await call('PUT', '/lists/news.weekly', { body: { name: 'Weekly' } })).status).toBe(204)
    await call('PUT', '/lists/news.daily.eu', { body: { name: 'Daily EU' } })
    await call('PUT', '/lists/product', { body: { name: 'Product' } })
    const all = await call('GET', '/lists')
    expect(all.body).toMatchObject({ paging: { more: false }, items: [{ id: 'news.weekly', name: 'Weekly' }, {}, {}] })
    const ids = async (pattern: string) =>
      ((await call('GET', `/lists?pattern=${pattern}`)).body as { items: { id: string }[] }).items.map((l) => l.id)
    expect(await ids('news.*')).toEqual(['news.weekly'])
    expect(await ids('news.**')).toEqual(['news.weekly', 'news.daily.eu'])
    expect(await ids('product')).toEqual(['product'])
  })

  it('answers 404 for a missing or deleted list, and restores it', async () => {
    expect(await call('GET', '/lists/ghost')).toMatchObject({ status: 404, body: { type: 'invalid_request_error' } })
    await call('PUT', '/lists/news', { body: { name: 'News' } })
    expect((await call('DELETE', '/lists/news')).status).toBe(204)
    expect((await call('GET', '/lists/news')).status).toBe(404)
    expect((await call('PUT', '/lists/news/restore', { body: {} })).status).toBe(204)
    expect((await call('GET', '/lists/news')).body).toMatchObject({ id: 'news', name: 'News' })
  })

  it('adds members with POST, overwrites them with PUT, and creates the list on the way', async () => {
    expect(
      (await call('POST', '/lists/news/subscriptions', { body: { recipients: [{ recipientId: 'u1' }, { recipientId: 'u2' }] } })).status,
    ).toBe(204)
    await call('POST', '/lists/news/subscriptions', { body: { recipients: [{ recipientId: 'u3' }] } })
    const members = async () =>
      ((await call('GET', '/lists/news/subscriptions')).body as { items: { recipientId: string }[] }).items.map((m) => m.recipientId)
    expect(await members()).toEqual(['u1', 'u2', 'u3'])
    await call('PUT', '/lists/news/subscriptions', { body: { recipients: [{ recipientId: 'u9' }] } })
    expect(await members()).toEqual(['u9'])
    expect((await call('GET', '/lists/news')).body).toMatchObject({ id: 'news', name: 'news' })
  })

  it('subscribes and unsubscribes one member, with 404 for a non-member', async () => {
    expect((await call('PUT', '/lists/news/subscriptions/u1', { body: {} })).status).toBe(204)
    expect((await call('DELETE', '/lists/news/subscriptions/u1')).status).toBe(204)
    expect(await call('DELETE', '/lists/news/subscriptions/u1')).toMatchObject({ status: 404, body: { type: 'invalid_request_error' } })
  })

  it('pages members with an opaque cursor', async () => {
    const emulator = await startOwn({ pageSize: 2, listWriteLimit: false })
    await call(
      'POST',
      '/lists/news/subscriptions',
      { body: { recipients: ['a', 'b', 'c'].map((recipientId) => ({ recipientId })) } },
      emulator,
    )
    const first = (await call('GET', '/lists/news/subscriptions', {}, emulator)).body as {
      paging: { cursor: string; more: boolean }
      items: unknown[]
    }
    expect(first.paging.more).toBe(true)
    expect(first.items).toHaveLength(2)
    const second = await call('GET', `/lists/news/subscriptions?cursor=${first.paging.cursor}`, {}, emulator)
    expect(second.body).toMatchObject({ paging: { more: false, cursor: null }, items: [{ recipientId: 'c' }] })
  })

  it("manages a user's lists under /profiles/{id}/lists, answered under results", async () => {
    expect(await call('POST', '/profiles/u1/lists', { body: { lists: [{ listId: 'news' }, { listId: 'product' }] } })).toMatchObject({
      status: 200,
      body: { status: 'SUCCESS' },
    })
    const lists = await call('GET', '/profiles/u1/lists')
    expect(lists.body).toMatchObject({ paging: { more: false }, results: [{ id: 'news', name: 'news' }, { id: 'product' }] })
    expect(await call('DELETE', '/profiles/u1/lists')).toMatchObject({ status: 200, body: { status: 'SUCCESS' } })
    expect((await call('GET', '/profiles/u1/lists')).body).toMatchObject({ results: [] })
  })
})

describe('Courier emulator: list-write rate limit', () => {
  it('limits PUTs to lists and POSTs to subscriptions, 20 a minute by default, in separate windows', async () => {
    const clock = new ManualClock()
    const emulator = await startOwn({ clock })
    for (let i = 0; i < 20; i++) expect((await call('PUT', `/lists/l${i}`, { body: { name: 'L' } }, emulator)).status).toBe(204)
    expect(await call('PUT', '/lists/one-more', { body: { name: 'L' } }, emulator)).toMatchObject({
      status: 429,
      body: { type: 'invalid_request_error' },
    })
    expect((await call('POST', '/lists/l1/subscriptions', { body: { recipients: [] } }, emulator)).status).toBe(204)
    expect((await call('GET', '/lists', {}, emulator)).status).toBe(200)
    expect((await call('POST', '/profiles/u1', { body: { profile: {} } }, emulator)).status).toBe(200)
    clock.advance(60_000)
    expect((await call('PUT', '/lists/one-more', { body: { name: 'L' } }, emulator)).status).toBe(204)
  })

  it('counts per-member PUTs but not DELETEs by default, both configurable', async () => {
    const limited = await startOwn({ clock: new ManualClock(), listWriteLimit: { limit: 1, windowMs: 60_000 } })
    expect((await call('PUT', '/lists/l/subscriptions/u1', { body: {} }, limited)).status).toBe(204)
    expect((await call('PUT', '/lists/l/subscriptions/u2', { body: {} }, limited)).status).toBe(429)
    expect((await call('DELETE', '/lists/l/subscriptions/u1', {}, limited)).status).toBe(204)
    const free = await startOwn({
      clock: new ManualClock(),
      listWriteLimit: { limit: 1, windowMs: 60_000 },
      memberWritesLimited: { put: false },
    })
    expect((await call('PUT', '/lists/l/subscriptions/u1', { body: {} }, free)).status).toBe(204)
    expect((await call('PUT', '/lists/l/subscriptions/u2', { body: {} }, free)).status).toBe(204)
  })
})

describe('Courier emulator: idempotency', () => {
  it('replays the first answer to a POST Idempotency-Key, whatever the later body', async () => {
    const post = (email: string) => call('POST', '/profiles/u1', { body: { profile: { email } }, headers: { 'idempotency-key': 'k1' } })
    expect((await post('first@example.com')).status).toBe(200)
    expect(await post('second@example.com')).toMatchObject({ status: 200, body: { status: 'SUCCESS' } })
    expect(courier.state().profiles['u1']?.profile).toEqual({ email: 'first@example.com' })
  })

  it('stores and replays an error answer, such as an injected 500', async () => {
    courier.setFaults([{ kind: 'status', status: 500, match: { method: 'POST' } }])
    const post = () => call('POST', '/profiles/u1', { body: { profile: {} }, headers: { 'idempotency-key': 'k2' } })
    expect(await post()).toMatchObject({ status: 500, body: { type: 'api_error' } })
    expect((await post()).status).toBe(500)
    expect((await call('POST', '/profiles/u1', { body: { profile: {} }, headers: { 'idempotency-key': 'k3' } })).status).toBe(200)
  })

  it('stores nothing for a request that failed validation, and ignores keys on other methods', async () => {
    const headers = { 'idempotency-key': 'k4' }
    expect((await call('POST', '/profiles/u1', { body: {}, headers })).status).toBe(400)
    expect((await call('POST', '/profiles/u1', { body: { profile: { a: 1 } }, headers })).status).toBe(200)
    await call('PUT', '/profiles/u2', { body: { profile: { a: 1 } }, headers })
    await call('PUT', '/profiles/u2', { body: { profile: { a: 2 } }, headers })
    expect(courier.state().profiles['u2']?.profile).toEqual({ a: 2 })
  })

  it('keeps keys 24 hours, or longer with x-idempotency-expiration', async () => {
    const clock = new ManualClock(Date.parse('2024-06-01T00:00:00Z'))
    const emulator = await startOwn({ clock })
    const post = (key: string, name: string, expiration?: string) =>
      call(
        'POST',
        '/profiles/u1',
        {
          body: { profile: { name } },
          headers: { 'idempotency-key': key, ...(expiration === undefined ? {} : { 'x-idempotency-expiration': expiration }) },
        },
        emulator,
      )
    await post('day', 'first')
    await post('week', 'first', '2024-06-08T00:00:00Z')
    clock.advance(25 * 60 * 60 * 1000)
    await post('day', 'second')
    expect(emulator.state().profiles['u1']?.profile).toEqual({ name: 'second' })
    await post('week', 'third')
    expect(emulator.state().profiles['u1']?.profile).toEqual({ name: 'second' })
  })
})

describe('Courier emulator: OpenAPI conformance', () => {
  it('produced, in this file, only responses that match courier.json', () => {
    const { problems, operations, checked } = recorder.check(courierOpenApi())
    expect(problems).toEqual([])
    expect(checked).toBeGreaterThan(40)
    expect(operations.size).toBe(courierOpenApi().operationIds().length)
  })
})
