import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { createEmulator, type Emulator, type EmulatorName } from '../../providers/emulators.js'
import { DEFAULT_AUTH, http, httpText, type HttpOptions } from './http.js'

/** Per vendor: a cheap authorised request, and the vendor's error body for a status. */
const VENDORS: Record<EmulatorName, { request: [string, string, HttpOptions]; errorBody: (status: number, message: string) => unknown }> = {
  loops: {
    request: ['GET', '/v1/lists', { headers: DEFAULT_AUTH.loops }],
    errorBody: (_status, message) => ({ success: false, message }),
  },
  braze: {
    request: ['GET', '/segments/list', { headers: DEFAULT_AUTH.braze }],
    errorBody: (_status, message) => ({ message }),
  },
  clevertap: {
    request: ['POST', '/1/upload', { headers: DEFAULT_AUTH.clevertap, body: { d: [] } }],
    errorBody: (status, message) => ({ status: 'fail', error: message, code: status }),
  },
  courier: {
    request: ['GET', '/lists', { headers: DEFAULT_AUTH.courier }],
    errorBody: (status, message) => ({ type: status >= 500 ? 'api_error' : 'invalid_request_error', message }),
  },
}

describe.each(Object.keys(VENDORS) as EmulatorName[])('%s emulator: admin API and faults', (name) => {
  const vendor = VENDORS[name]
  let emulator: Emulator
  const send = () => http(emulator.url, ...vendor.request)
  const sendText = () => httpText(emulator.url, ...vendor.request)
  const admin = (method: string, path: string, body?: unknown) => http(emulator.url, method, `/_emulator/${path}`, { body })

  beforeAll(async () => {
    emulator = createEmulator(name)
    await emulator.start()
  })
  afterAll(() => emulator.stop())
  beforeEach(() => emulator.reset())

  it('answers a burst of 429s without Retry-After, in the vendor error shape, then recovers', async () => {
    expect((await admin('POST', 'faults', { faults: [{ kind: 'status', status: 429, count: 2 }] })).status).toBe(200)
    const answers = [await send(), await send(), await send()]
    expect(answers.map((a) => a.status)).toEqual([429, 429, 200])
    expect(answers[0]?.body).toEqual(vendor.errorBody(429, 'Too Many Requests'))
    expect(answers[0]?.headers['retry-after']).toBeUndefined()
  })

  it('sends Retry-After when the rule gives one, and the rule body when it has one', async () => {
    await admin('POST', 'faults', { faults: [{ kind: 'status', status: 503, retryAfterSeconds: 7, body: { custom: true } }] })
    const answer = await send()
    expect(answer).toMatchObject({ status: 503, body: { custom: true } })
    expect(answer.headers['retry-after']).toBe('7')
  })

  it('answers a 200 with a raw HTML body and its content type, byte for byte', async () => {
    const page = '<!doctype html><html><body><form action="/login">Sign in to continue</form></body></html>'
    await admin('POST', 'faults', { faults: [{ kind: 'status', status: 200, bodyText: page, contentType: 'text/html; charset=utf-8' }] })
    const answer = await sendText()
    expect(answer).toMatchObject({ status: 200, text: page })
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(page)))
    expect(emulator.requests().map((r) => [r.status, r.faults])).toEqual([[200, ['status']]])
    expect((await send()).status).toBe(200)
  })

  it('sends truncated JSON under a JSON content type, and plain text by default', async () => {
    await admin('POST', 'faults', {
      faults: [
        { kind: 'status', status: 201, bodyText: '{"message":"succ', contentType: 'application/json' },
        { kind: 'status', status: 500, bodyText: 'upstream timed out' },
      ],
    })
    const truncated = await sendText()
    expect(truncated).toMatchObject({ status: 201, text: '{"message":"succ' })
    expect(truncated.headers['content-type']).toBe('application/json')
    expect(() => JSON.parse(truncated.text) as unknown).toThrow(SyntaxError)
    const plain = await sendText()
    expect(plain).toMatchObject({ status: 500, text: 'upstream timed out' })
    expect(plain.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  it('sends an empty body, without a content type unless the rule names one', async () => {
    await admin('POST', 'faults', {
      faults: [
        { kind: 'status', status: 200, bodyText: '' },
        { kind: 'status', status: 502, bodyText: '', contentType: 'application/json' },
      ],
    })
    const bare = await sendText()
    expect(bare).toMatchObject({ status: 200, text: '' })
    expect(bare.headers['content-length']).toBe('0')
    expect(bare.headers['content-type']).toBeUndefined()
    const typed = await sendText()
    expect(typed).toMatchObject({ status: 502, text: '' })
    expect(typed.headers['content-type']).toBe('application/json')
  })

  it('sends JSON bodies that are not the vendor shape, with any status and content type', async () => {
    await admin('POST', 'faults', {
      faults: [
        { kind: 'status', status: 200, body: ['not', 'an', 'object'] },
        { kind: 'status', status: 200, body: null },
        { kind: 'status', status: 418, body: { unexpected: true }, contentType: 'application/problem+json' },
      ],
    })
    const list = await send()
    expect(list).toMatchObject({ status: 200, body: ['not', 'an', 'object'] })
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(await sendText()).toMatchObject({ status: 200, text: 'null' })
    const problem = await send()
    expect(problem).toMatchObject({ status: 418, body: { unexpected: true } })
    expect(problem.headers['content-type']).toBe('application/problem+json')
  })

  it('serves the vendor error body under a rule content type, and a content-type header when no contentType is set', async () => {
    await admin('POST', 'faults', {
      faults: [
        { kind: 'status', status: 503, contentType: 'text/html' },
        { kind: 'status', status: 200, bodyText: '<p>maintenance</p>', headers: { 'Content-Type': 'text/html', 'x-served-by': 'proxy' } },
        { kind: 'status', status: 200, bodyText: '<p>maintenance</p>', contentType: 'text/xml', headers: { 'Content-Type': 'text/html' } },
      ],
    })
    const vendorShape = await sendText()
    expect(vendorShape.headers['content-type']).toBe('text/html')
    expect(JSON.parse(vendorShape.text)).toEqual(vendor.errorBody(503, 'Service Unavailable'))
    const fromHeaders = await sendText()
    expect(fromHeaders.headers).toMatchObject({ 'content-type': 'text/html', 'x-served-by': 'proxy' })
    expect((await sendText()).headers['content-type']).toBe('text/xml')
  })

  it('lists raw-body rules as given, and refuses a rule with two bodies or unsendable headers', async () => {
    const rule = { kind: 'status', status: 200, bodyText: '', contentType: 'text/plain' }
    await admin('POST', 'faults', { faults: [rule] })
    expect(((await admin('GET', 'faults')).body as { faults: unknown[] }).faults).toEqual([{ ...rule, remaining: 1, fired: 0 }])
    const answer = await admin('POST', 'faults', {
      faults: [
        { kind: 'status', status: 200, body: {}, bodyText: '{}' },
        { kind: 'status', status: 200, bodyText: 5 },
        { kind: 'status', status: 200, contentType: 'text/html\r\nx-injected: 1', headers: { 'bad name': 'x' } },
        { kind: 'delay', ms: 1, bodyText: 'x' },
      ],
    })
    expect(answer.status).toBe(400)
    expect((answer.body as { problems: string[] }).problems).toEqual([
      '/faults/0 has both body and bodyText: give one (bodyText is sent as is, body as JSON)',
      '/faults/1/bodyText must be string',
      '/faults/2/contentType must be a header value: printable characters, no line breaks',
      '/faults/2/headers has a header name that is not an HTTP token: "bad name"',
      '/faults/3 must NOT have additional properties: "bodyText"',
    ])
    expect(emulator.faults()).toEqual([{ ...rule, remaining: 1, fired: 0 }])
  })

  it('answers a 5xx in the vendor error shape', async () => {
    await admin('POST', 'faults', { faults: [{ kind: 'status', status: 500 }] })
    expect(await send()).toMatchObject({ status: 500, body: vendor.errorBody(500, 'Internal Server Error') })
  })

  it('delays a request, then answers it normally', async () => {
    await admin('POST', 'faults', { faults: [{ kind: 'delay', ms: 120 }] })
    const started = performance.now()
    expect((await send()).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(110)
  })

  it('drops the connection without an answer', async () => {
    await admin('POST', 'faults', { faults: [{ kind: 'drop' }] })
    await expect(send()).rejects.toThrow()
    expect((await send()).status).toBe(200)
    expect(emulator.requests().map((r) => r.status)).toEqual([null, 200])
  })

  it('applies a rule only to matching requests (method, exact path or prefix)', async () => {
    const [method, path] = vendor.request
    await admin('POST', 'faults', {
      faults: [
        { kind: 'status', status: 502, match: { method: method === 'GET' ? 'POST' : 'GET' } },
        { kind: 'status', status: 504, match: { path: `${path.slice(0, 3)}*` } },
      ],
    })
    expect((await send()).status).toBe(504)
    const listed = (await admin('GET', 'faults')).body as { faults: { remaining: number; fired: number }[] }
    expect(listed.faults.map((f) => [f.remaining, f.fired])).toEqual([
      [1, 0],
      [0, 1],
    ])
  })

  it('hits a reproducible share of requests with a seeded probability', async () => {
    const rule = { kind: 'status', status: 500, probability: 0.5, seed: 42 }
    const run = async () => {
      await admin('POST', 'reset')
      await admin('POST', 'faults', { faults: [rule] })
      const statuses = []
      for (let i = 0; i < 12; i++) statuses.push((await send()).status)
      return statuses
    }
    const first = await run()
    expect(first).toContain(500)
    expect(first).toContain(200)
    expect(await run()).toEqual(first)
  })

  it('reports every problem of invalid fault rules with 400', async () => {
    const answer = await admin('POST', 'faults', { faults: [{ kind: 'status' }, { kind: 'delay', ms: -1 }, { kind: 'nap' }] })
    expect(answer.status).toBe(400)
    expect((answer.body as { problems: string[] }).problems).toEqual([
      "/faults/0 must have required property 'status'",
      '/faults/1/ms must be >= 0',
      '/faults/2/kind must be equal to one of the allowed values: ["status","delay","drop"]',
    ])
  })

  it('appends rules, clears them, and resets state, faults and the request log', async () => {
    await admin('POST', 'faults', { faults: [{ kind: 'drop' }] })
    await admin('POST', 'faults', { faults: [{ kind: 'delay', ms: 1 }], append: true })
    expect(((await admin('GET', 'faults')).body as { faults: unknown[] }).faults).toHaveLength(2)
    expect(await admin('DELETE', 'faults')).toMatchObject({ status: 200, body: { faults: [] } })
    await send()
    await admin('POST', 'faults', { faults: [{ kind: 'drop' }] })
    expect(await admin('POST', 'reset')).toMatchObject({ status: 200, body: { reset: true } })
    expect(emulator.faults()).toEqual([])
    expect(emulator.requests()).toEqual([])
  })

  it('lists recent requests without headers or bodies, and serves the state as JSON', async () => {
    await send()
    const log = (await admin('GET', 'requests')).body as { requests: Record<string, unknown>[] }
    expect(log.requests).toEqual([
      {
        time: expect.any(String) as unknown,
        method: vendor.request[0],
        path: vendor.request[1],
        operation: expect.any(String) as unknown,
        status: 200,
        durationMs: expect.any(Number) as unknown,
      },
    ])
    expect(JSON.stringify(log)).not.toMatch(/test-key|test-token|test-passcode/)
    expect(await admin('GET', 'state')).toMatchObject({ status: 200, body: emulator.state() as object })
  })

  it('answers 404 to an unknown admin endpoint, and needs no vendor credentials', async () => {
    expect(await admin('GET', 'nothing')).toMatchObject({ status: 404, body: { error: expect.any(String) as unknown } })
    expect((await admin('GET', 'state')).status).toBe(200)
  })

  it('refuses invalid rules given in code', () => {
    expect(() => emulator.setFaults([{ kind: 'delay', ms: -5 }])).toThrow(/invalid fault rules: \/0\/ms must be >= 0/)
  })
})
