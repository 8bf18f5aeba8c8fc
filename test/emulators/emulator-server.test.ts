import { describe, expect, it, onTestFinished } from 'vitest'

import { jsonResponse } from '../../src/emulators/emulator-http.js'
import { EmulatorServer } from '../../src/emulators/emulator-server.js'
import type { EmulatorVendor } from '../../src/emulators/emulator-vendor.js'
import type { EmulatorConfig } from '../../providers/emulators.js'
import { http } from './http.js'

/** The smallest vendor: a key check, an echo route and a route that fails, to test the shared server alone. */
function fakeVendor(): EmulatorVendor<string, { echoes: number }> {
  let echoes = 0
  return {
    name: 'fake',
    routes: [
      {
        method: 'POST',
        path: '/echo/:id',
        operation: 'echo',
        handle: (r) => (echoes++, jsonResponse(200, { id: r.params['id'], body: r.body })),
      },
      { method: 'GET', path: '/boom', operation: 'boom', handle: () => Promise.reject(new Error('handler bug')) },
    ],
    authenticate: (r) => (r.headers['x-key'] === 'k' ? { principal: 'k' } : { response: jsonResponse(401, { error: 'bad key' }) }),
    errorResponse: (status, message) => jsonResponse(status, { error: message }),
    snapshot: () => ({ echoes }),
    reset: () => (echoes = 0),
  }
}

async function startFake(config: EmulatorConfig = {}) {
  const server = new EmulatorServer(fakeVendor(), config)
  await server.start()
  onTestFinished(() => server.stop())
  const send = (method: string, path: string, body?: unknown, rawBody?: string) =>
    http(server.url, method, path, { body, headers: { 'x-key': 'k' }, ...(rawBody === undefined ? {} : { rawBody }) })
  return { server, send }
}

describe('emulator server', () => {
  it('passes decoded path parameters and the parsed body to the route', async () => {
    const { send } = await startFake()
    expect(await send('POST', '/echo/a%20b', { x: 1 })).toMatchObject({ status: 200, body: { id: 'a b', body: { x: 1 } } })
  })

  it('answers routing, auth and body errors in the vendor shape', async () => {
    const { server, send } = await startFake({ bodyLimitBytes: 64 })
    expect(await send('GET', '/nothing')).toMatchObject({ status: 404, body: { error: 'Not Found' } })
    expect(await send('GET', '/echo/1')).toMatchObject({ status: 405, body: { error: 'Method Not Allowed' } })
    expect(await http(server.url, 'POST', '/echo/1', { body: {} })).toMatchObject({ status: 401, body: { error: 'bad key' } })
    expect(await send('POST', '/echo/1', undefined, '{not json')).toMatchObject({
      status: 400,
      body: { error: 'Request body is not valid JSON' },
    })
    expect(await send('POST', '/echo/1', { text: 'x'.repeat(100) })).toMatchObject({
      status: 413,
      body: { error: 'Request body is larger than 64 bytes' },
    })
  })

  it('turns a failing handler into a 500 in the vendor shape', async () => {
    const { send } = await startFake()
    expect(await send('GET', '/boom')).toMatchObject({ status: 500, body: { error: 'emulator error: handler bug' } })
  })

  it('answers the admin API without vendor credentials; seeding needs a vendor that seeds', async () => {
    const { server, send } = await startFake()
    await send('POST', '/echo/1', {})
    expect(await http(server.url, 'GET', '/_emulator/state')).toMatchObject({ status: 200, body: { echoes: 1 } })
    expect(await http(server.url, 'POST', '/_emulator/seed', { body: {} })).toMatchObject({ status: 404 })
    expect(await http(server.url, 'POST', '/_emulator/faults', { body: [{ kind: 'drop' }] })).toMatchObject({ status: 400 })
  })

  it('keeps the most recent requests up to requestLogSize', async () => {
    const { server, send } = await startFake({ requestLogSize: 2 })
    for (const id of ['1', '2', '3']) await send('POST', `/echo/${id}`, {})
    expect(server.requests().map((r) => r.path)).toEqual(['/echo/2', '/echo/3'])
  })

  it('applies faults given in the config from the start', async () => {
    const { send } = await startFake({ faults: [{ kind: 'status', status: 503 }] })
    expect((await send('POST', '/echo/1', {})).status).toBe(503)
    expect((await send('POST', '/echo/1', {})).status).toBe(200)
  })

  it('refuses the url before start, and start() twice gives the same url', async () => {
    const server = new EmulatorServer(fakeVendor())
    expect(() => server.url).toThrow(/not started/)
    const url = await server.start()
    onTestFinished(() => server.stop())
    expect(await server.start()).toBe(url)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('stops promptly with keep-alive connections open and a request held by a delay', async () => {
    const { server, send } = await startFake({ faults: [{ kind: 'delay', ms: 60_000 }] })
    const pending = send('POST', '/echo/1', {})
    await new Promise((resolve) => setTimeout(resolve, 50))
    const started = performance.now()
    await server.stop()
    expect(performance.now() - started).toBeLessThan(1000)
    await expect(pending).rejects.toThrow()
    await server.stop()
  })

  it('reports a port in use when starting', async () => {
    const { server } = await startFake()
    const port = Number(new URL(server.url).port)
    await expect(new EmulatorServer(fakeVendor(), { port }).start()).rejects.toThrow(/EADDRINUSE/)
  })
})
