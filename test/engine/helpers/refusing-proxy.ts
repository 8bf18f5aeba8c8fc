import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An answer the proxy gives instead of forwarding. */
export interface Refusal {
  status: number
  body: unknown
}

/** Decides, from a request's method, path and parsed JSON body, whether to refuse it. */
export type RefusalRule = (request: { method: string; path: string; body: unknown }) => Refusal | undefined

/**
 * A vendor that refuses a whole request because of one record in it. The emulators check each
 * object on its own (Braze answers 201 with per-object `errors`), and their fault rules match
 * requests by path, not by content; this proxy sits in front of an emulator, looks into each
 * request's body, and answers the refusal itself when `rule` says so, forwarding everything else
 * untouched. `refused` counts the requests it refused.
 */
export class RefusingProxy {
  refused = 0
  forwarded = 0
  private server: Server | undefined
  private address: string | undefined

  private constructor(
    private readonly target: string,
    private readonly rule: RefusalRule,
  ) {}

  static async start(target: string, rule: RefusalRule): Promise<RefusingProxy> {
    const proxy = new RefusingProxy(target, rule)
    await proxy.listen()
    return proxy
  }

  get url(): string {
    if (this.address === undefined) throw new Error('the proxy is not started')
    return this.address
  }

  async stop(): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeAllConnections()
    await closed
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const raw = Buffer.concat(chunks)
        const path = req.url ?? '/'
        const refusal = this.rule({ method: req.method ?? 'GET', path: path.split('?')[0] ?? path, body: parseJson(raw) })
        if (refusal !== undefined) {
          this.refused++
          const payload = JSON.stringify(refusal.body)
          res.writeHead(refusal.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) })
          res.end(payload)
          return
        }
        this.forwarded++
        const target = new URL(path, this.target)
        const upstream = httpRequest(target, { method: req.method, headers: forwardHeaders(req.headers, target, raw.length) }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        upstream.on('error', () => res.destroy())
        upstream.end(raw)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.server = server
    this.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  try {
    return JSON.parse(raw.toString('utf8')) as unknown
  } catch {
    return undefined
  }
}

function forwardHeaders(headers: IncomingHttpHeaders, target: URL, length: number): IncomingHttpHeaders {
  return { ...headers, host: target.host, 'content-length': String(length) }
}
