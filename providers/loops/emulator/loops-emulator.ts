import type { Emulator } from '../../../src/emulators/emulator.js'
import { bearerToken, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import { EmulatorServer } from '../../../src/emulators/emulator-server.js'
import type { Admission, AuthResult, EmulatorVendor, VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import { IdempotencyStore } from '../../../src/emulators/idempotency-store.js'
import { retryAfterSeconds } from '../../../src/emulators/rate-limit.js'
import { TokenBucket } from '../../../src/emulators/token-bucket.js'
import { resolveLoopsConfig, type LoopsEmulatorConfig, type ResolvedLoopsConfig } from './loops-config.js'
import { loopsContactRoutes } from './loops-contact-routes.js'
import { LOOPS_MESSAGES, loopsError, loopsInvalidApiKey } from './loops-errors.js'
import { loopsEventRoutes } from './loops-event-routes.js'
import { loopsOpenApi } from './loops-openapi.js'
import { loopsTeamRoutes } from './loops-property-routes.js'
import { applyLoopsSeed } from './loops-seed.js'
import { LoopsState, type LoopsStateSnapshot } from './loops-state.js'

/** A Loops emulator. */
export type LoopsEmulator = Emulator<LoopsStateSnapshot>

/**
 * Creates an emulator of the Loops API (`https://app.loops.so/api`): contacts, custom properties,
 * mailing lists and events, checked against Loops' OpenAPI document. Call `start()` to listen.
 */
export function createLoopsEmulator(config: LoopsEmulatorConfig = {}): LoopsEmulator {
  return new EmulatorServer(new LoopsVendor(config), config)
}

/** Creates and starts a Loops emulator. */
export async function startLoopsEmulator(config: LoopsEmulatorConfig = {}): Promise<LoopsEmulator> {
  const emulator = createLoopsEmulator(config)
  await emulator.start()
  return emulator
}

/** Loops behaviour for the shared server (reference/destinations.md sections 1 and 5.1). */
class LoopsVendor implements EmulatorVendor<string, LoopsStateSnapshot> {
  readonly name = 'loops'
  readonly routes: readonly VendorRoute<string>[]
  readonly #config: ResolvedLoopsConfig
  readonly #seed: LoopsEmulatorConfig
  readonly #state = new LoopsState()
  readonly #buckets = new Map<string, TokenBucket>()
  readonly #keys: IdempotencyStore<string>

  constructor(config: LoopsEmulatorConfig) {
    this.#config = resolveLoopsConfig(config)
    this.#seed = config
    this.#keys = new IdempotencyStore(this.#config.clock)
    this.routes = [
      ...loopsTeamRoutes(this.#state, this.#config),
      ...loopsContactRoutes(this.#state, this.#config),
      ...loopsEventRoutes(this.#state, this.#config, this.#keys),
    ]
    this.reset()
  }

  authenticate(request: EmulatorRequest): AuthResult<string> {
    const key = bearerToken(request)
    return key !== undefined && this.#config.apiKeys.has(key) ? { principal: key } : { response: loopsInvalidApiKey() }
  }

  /** 10 requests per second per key, with `x-ratelimit-limit`/`-remaining` on every answer (section 1.7). */
  admit(_request: EmulatorRequest, _route: VendorRoute<string>, key: string): Admission {
    if (this.#config.rateLimit === false) return {}
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) this.#buckets.set(key, (bucket = new TokenBucket(this.#config.rateLimit, this.#config.clock)))
    const decision = bucket.take()
    const headers = { 'x-ratelimit-limit': String(decision.limit), 'x-ratelimit-remaining': String(decision.remaining) }
    if (decision.allowed) return { headers }
    const rejection = loopsError(429, LOOPS_MESSAGES.rateLimited)
    return {
      headers,
      rejection: this.#config.retryAfter
        ? { ...rejection, headers: { 'retry-after': retryAfterSeconds(decision.retryAfterMs) } }
        : rejection,
    }
  }

  validateRequest(request: EmulatorRequest, route: VendorRoute<string>): EmulatorResponse | undefined {
    const problems = loopsOpenApi().validateRequestBody(route.operation, request.body)
    if (problems === undefined || problems.length === 0) return undefined
    return loopsError(400, `Invalid request body: ${problems.join('; ')}`)
  }

  errorResponse(status: number, message: string): EmulatorResponse {
    return loopsError(status, message)
  }

  snapshot(): LoopsStateSnapshot {
    return this.#state.snapshot()
  }

  /** Back to the configured start: configured lists and properties stay, everything else goes. */
  reset(): void {
    this.#state.clear()
    this.#buckets.clear()
    this.#keys.clear()
    const problems = applyLoopsSeed(this.#state, {
      mailingLists: this.#seed.mailingLists ?? [],
      customProperties: this.#seed.customProperties ?? [],
    })
    if (problems.length > 0) throw new RangeError(`loops emulator config: ${problems.join('; ')}`)
  }

  seed(body: unknown): string[] {
    return applyLoopsSeed(this.#state, body)
  }
}
