import type { Emulator } from '../../../src/emulators/emulator.js'
import {
  bearerToken,
  headerValue,
  type EmulatorRequest,
  type EmulatorResponse,
  type RequestOutcome,
} from '../../../src/emulators/emulator-http.js'
import { EmulatorServer } from '../../../src/emulators/emulator-server.js'
import type { Admission, AuthResult, EmulatorVendor, VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import { FixedWindow } from '../../../src/emulators/fixed-window.js'
import { IdempotencyStore } from '../../../src/emulators/idempotency-store.js'
import { retryAfterSeconds } from '../../../src/emulators/rate-limit.js'
import { resolveCourierConfig, type CourierEmulatorConfig, type ResolvedCourierConfig } from './courier-config.js'
import { courierError } from './courier-errors.js'
import { withCourierIdempotency } from './courier-idempotency.js'
import { courierListRoutes } from './courier-list-routes.js'
import { courierOpenApi } from './courier-openapi.js'
import { courierProfileListRoutes } from './courier-profile-list-routes.js'
import { courierProfileRoutes } from './courier-profile-routes.js'
import { CourierState, type CourierStateSnapshot } from './courier-state.js'
import { courierSubscriptionRoutes } from './courier-subscription-routes.js'

/** A Courier emulator. */
export type CourierEmulator = Emulator<CourierStateSnapshot>

/** Operations under the list-write limit: PUTs to lists and POSTs to subscriptions (section 4.5). */
const LIST_WRITES = new Set(['lists_update', 'lists_restore', 'lists_addSubscribers', 'lists_updateSubscribers'])

/**
 * Creates an emulator of the Courier API (`https://api.courier.com`): profiles, lists and
 * subscriptions, checked against Courier's OpenAPI document. Call `start()` to listen.
 */
export function createCourierEmulator(config: CourierEmulatorConfig = {}): CourierEmulator {
  return new EmulatorServer(new CourierVendor(config), config)
}

/** Creates and starts a Courier emulator. */
export async function startCourierEmulator(config: CourierEmulatorConfig = {}): Promise<CourierEmulator> {
  const emulator = createCourierEmulator(config)
  await emulator.start()
  return emulator
}

/** Courier behaviour for the shared server (reference/destinations.md sections 4 and 5.4). */
class CourierVendor implements EmulatorVendor<string, CourierStateSnapshot> {
  readonly name = 'courier'
  readonly routes: readonly VendorRoute<string>[]
  readonly #config: ResolvedCourierConfig
  readonly #state = new CourierState()
  readonly #windows = new Map<string, FixedWindow>()
  readonly #keys: IdempotencyStore<EmulatorResponse>

  constructor(config: CourierEmulatorConfig) {
    this.#config = resolveCourierConfig(config)
    this.#keys = new IdempotencyStore(this.#config.clock)
    this.routes = [
      ...courierProfileRoutes(this.#state, this.#config),
      ...courierProfileListRoutes(this.#state, this.#config),
      ...courierListRoutes(this.#state, this.#config),
      ...courierSubscriptionRoutes(this.#state, this.#config),
    ]
  }

  /** `Authorization: Bearer <token>`, or Basic auth with the token as user or password (section 4.1). */
  authenticate(request: EmulatorRequest): AuthResult<string> {
    const token =
      bearerToken(request) ?? basicCredentials(headerValue(request, 'authorization')).find((t) => this.#config.authTokens.has(t))
    return token !== undefined && this.#config.authTokens.has(token)
      ? { principal: token }
      : { response: courierError(401, 'Unauthorized') }
  }

  /** List writes, 20 per minute per method; GETs and profiles are not limited (section 4.5). */
  admit(request: EmulatorRequest, route: VendorRoute<string>): Admission {
    const limit = this.#config.listWriteLimit
    if (limit === false || !this.#isLimited(route.operation)) return {}
    let window = this.#windows.get(request.method)
    if (window === undefined) this.#windows.set(request.method, (window = new FixedWindow(limit, this.#config.clock)))
    const decision = window.take()
    if (decision.allowed) return {}
    const rejection = courierError(429, 'Too Many Requests')
    return {
      rejection: this.#config.retryAfter
        ? { ...rejection, headers: { 'retry-after': retryAfterSeconds(decision.retryAfterMs) } }
        : rejection,
    }
  }

  validateRequest(request: EmulatorRequest, route: VendorRoute<string>): EmulatorResponse | undefined {
    const openApi = courierOpenApi()
    if (!openApi.hasOperation(route.operation)) return undefined
    const problems = openApi.validateRequestBody(route.operation, request.body)
    if (problems === undefined || problems.length === 0) return undefined
    return courierError(400, `Invalid request body: ${problems.join('; ')}`)
  }

  errorResponse(status: number, message: string): EmulatorResponse {
    return courierError(status, message)
  }

  around(request: EmulatorRequest, _principal: string, next: () => Promise<RequestOutcome>): Promise<RequestOutcome> {
    return withCourierIdempotency(request, this.#keys, this.#config.clock, next)
  }

  snapshot(): CourierStateSnapshot {
    return this.#state.snapshot()
  }

  reset(): void {
    this.#state.clear()
    this.#windows.clear()
    this.#keys.clear()
  }

  #isLimited(operation: string): boolean {
    if (operation === 'lists_subscribe') return this.#config.memberWritesLimited.put
    if (operation === 'lists_unsubscribe') return this.#config.memberWritesLimited.delete
    return LIST_WRITES.has(operation)
  }
}

/** The user and password of a Basic `Authorization` header, or nothing. */
function basicCredentials(header: string | undefined): string[] {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '')
  if (match?.[1] === undefined) return []
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const separator = decoded.indexOf(':')
  return separator === -1 ? [decoded] : [decoded.slice(0, separator), decoded.slice(separator + 1)]
}
