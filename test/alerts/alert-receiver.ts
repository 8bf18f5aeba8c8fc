import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the receiver got: what a Slack or webhook endpoint would see. */
export interface ReceivedAlert {
  path: string
  headers: Readonly<Record<string, string>>
  /** The body exactly as received. */
  body: string
  json: unknown
}

/** A local HTTP endpoint that records every alert and answers as scripted. */
export interface AlertReceiver {
  /** Base URL (`http://127.0.0.1:<port>`); alerts go to paths below it. */
  url: string
  received: ReceivedAlert[]
  /** The statuses of the next answers, in order (then 200): `[500]` answers the next request with 500. */
  script: (statuses: readonly number[], headers?: Readonly<Record<string, string>>) => void
  /** Waits until `count` requests have arrived at `path` (or anywhere). */
  waitFor: (count: number, path?: string) => Promise<ReceivedAlert[]>
  stop: () => Promise<void>
}

/** Starts a receiver on a free port of 127.0.0.1. */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const received: ReceivedAlert[] = []
  let statuses: number[] = []
  let extraHeaders: Readonly<Record<string, string>> = {}
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]))
      received.push({ path: request.url ?? '/', headers, body, json: parse(body) })
      const status = statuses.shift() ?? 200
      response.writeHead(status, status === 200 ? {} : extraHeaders).end(status === 200 ? 'ok' : 'error')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (next, headers = {}) => {
      statuses = [...next]
      extraHeaders = headers
    },
    waitFor: async (count, path) => {
      const matching = () => received.filter((r) => path === undefined || r.path === path)
      const until = Date.now() + 10_000
      while (matching().length < count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
      return matching()
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A URL on which nothing listens: a port a server held, then gave back. */
export async function closedUrl(): Promise<string> {
  const receiver = await startAlertReceiver()
  await receiver.stop()
  return receiver.url
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}
