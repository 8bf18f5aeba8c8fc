import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { ADMIN_PREFIX, handleAdminRequest, type AdminTarget } from './admin-api.js'
import { systemClock, type EmulatorClock } from './clock.js'
import { EMULATOR_DEFAULTS, type Emulator, type EmulatorConfig } from './emulator.js'
import { DROP_CONNECTION, type EmulatorRequest, type EmulatorResponse } from './emulator-http.js'
import type { EmulatorVendor, VendorRoute } from './emulator-vendor.js'
import { FaultInjector, type FaultRuleStatus } from './fault-injector.js'
import { validateFaultRules, type FaultRule } from './fault-rule.js'
import { readRequestBody, type RequestBody } from './read-request-body.js'
import { dispatchVendorRequest, type PipelineResult } from './request-pipeline.js'
import { RequestLog, type RequestLogEntry } from './request-log.js'
import { Router } from './router.js'

/**
 * The HTTP server behind every emulator: listens on loopback, parses JSON bodies, runs vendor
 * requests through {@link dispatchVendorRequest}, answers the admin API and keeps the request log.
 */
export class EmulatorServer<Principal, State> implements Emulator<State> {
  readonly #vendor: EmulatorVendor<Principal, State>
  readonly #config: EmulatorConfig
  readonly #clock: EmulatorClock
  readonly #router: Router<VendorRoute<Principal>>
  readonly #faults = new FaultInjector()
  readonly #log: RequestLog
  #server: Server | undefined
  #url: string | undefined
  #lifetime = new AbortController()

  constructor(vendor: EmulatorVendor<Principal, State>, config: EmulatorConfig = {}) {
    this.#vendor = vendor
    this.#config = config
    this.#clock = config.clock ?? systemClock
    this.#router = new Router(vendor.routes)
    this.#log = new RequestLog(config.requestLogSize ?? EMULATOR_DEFAULTS.requestLogSize)
    if (config.faults !== undefined) this.setFaults(config.faults)
  }

  get name(): string {
    return this.#vendor.name
  }

  get url(): string {
    if (this.#url === undefined) throw new Error(`the ${this.name} emulator is not started: call start() first`)
    return this.#url
  }

  async start(): Promise<string> {
    if (this.#url !== undefined) return this.#url
    const server = createServer((req, res) => void this.#handle(req, res))
    const host = this.#config.host ?? EMULATOR_DEFAULTS.host
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#config.port ?? EMULATOR_DEFAULTS.port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.#lifetime = new AbortController()
    this.#server = server
    const { port } = server.address() as AddressInfo
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    return this.#url
  }

  async stop(): Promise<void> {
    const server = this.#server
    if (server === undefined) return
    this.#server = undefined
    this.#url = undefined
    this.#lifetime.abort()
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    // Keep-alive sockets (undici pools them) would hold close() open until they time out.
    server.closeAllConnections()
    await closed
  }

  state(): State {
    return this.#vendor.snapshot()
  }

  reset(): void {
    this.#vendor.reset()
    this.#faults.clear()
    this.#log.clear()
  }

  setFaults(rules: readonly FaultRule[]): void {
    const checked = validateFaultRules(rules)
    if ('problems' in checked) throw new RangeError(`invalid fault rules: ${checked.problems.join('; ')}`)
    this.#faults.set(checked.rules)
  }

  faults(): FaultRuleStatus[] {
    return this.#faults.list()
  }

  requests(): RequestLogEntry[] {
    return this.#log.list()
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedMs = performance.now()
    const time = new Date(this.#clock.epochMs()).toISOString()
    try {
      const url = new URL(req.url ?? '/', 'http://emulator.invalid')
      const body = await readRequestBody(req, this.#config.bodyLimitBytes ?? EMULATOR_DEFAULTS.bodyLimitBytes)
      if (url.pathname.startsWith(ADMIN_PREFIX)) {
        writeResponse(res, handleAdminRequest(this.#adminTarget(), req.method ?? 'GET', url.pathname, body))
        return
      }
      const request = this.#request(req, url, body)
      const result = await this.#dispatch(request, body)
      this.#log.add(logEntry(time, request, result, performance.now() - startedMs))
      if (result.outcome === DROP_CONNECTION) req.socket.destroy()
      else writeResponse(res, result.outcome)
    } catch (error) {
      // A stopped emulator aborts pending delays; anything else is a bug in the emulator.
      if (this.#lifetime.signal.aborted) req.socket.destroy()
      else writeResponse(res, this.#vendor.errorResponse(500, `emulator error: ${error instanceof Error ? error.message : String(error)}`))
    }
  }

  async #dispatch(request: Omit<EmulatorRequest, 'params'>, body: RequestBody): Promise<PipelineResult> {
    const context = { vendor: this.#vendor, router: this.#router, faults: this.#faults, retryAfter: this.#config.retryAfter ?? false }
    const result = await dispatchVendorRequest(context, request, body)
    const onExchange = this.#config.onExchange
    if (onExchange !== undefined && result.outcome !== DROP_CONNECTION && result.operation !== undefined) {
      const { status, body: responseBody, bodyText } = result.outcome
      onExchange({
        operation: result.operation,
        method: request.method,
        path: request.path,
        status,
        requestBody: request.body,
        responseBody: bodyText === undefined ? responseBody : undefined,
        ...(bodyText === undefined ? {} : { responseText: bodyText }),
      })
    }
    return result
  }

  #request(req: IncomingMessage, url: URL, body: RequestBody): Omit<EmulatorRequest, 'params'> {
    return {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: body.kind === 'json' ? body.value : undefined,
      signal: this.#lifetime.signal,
    }
  }

  #adminTarget(): AdminTarget {
    return {
      state: () => this.state(),
      reset: () => this.reset(),
      faults: this.#faults,
      requests: () => this.requests(),
      seed: this.#vendor.seed?.bind(this.#vendor),
    }
  }
}

function writeResponse(res: ServerResponse, response: EmulatorResponse): void {
  const json = response.bodyText === undefined && response.body !== undefined
  const payload = response.bodyText ?? (json ? JSON.stringify(response.body) : undefined)
  res.statusCode = response.status
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value)
  if (payload === undefined) {
    res.end()
    return
  }
  if (json && !res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(payload))
  res.end(payload)
}

function logEntry(time: string, request: Omit<EmulatorRequest, 'params'>, result: PipelineResult, durationMs: number): RequestLogEntry {
  return {
    time,
    method: request.method,
    path: request.path,
    ...(result.operation === undefined ? {} : { operation: result.operation }),
    status: result.outcome === DROP_CONNECTION ? null : result.outcome.status,
    durationMs: Math.round(durationMs * 10) / 10,
    ...(result.faults.length === 0 ? {} : { faults: result.faults }),
  }
}
