import type { Emulator } from '../../../src/emulators/emulator.js'
import { bearerToken, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import { EmulatorServer } from '../../../src/emulators/emulator-server.js'
import type { Admission, AuthResult, EmulatorVendor, VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import { FixedWindow } from '../../../src/emulators/fixed-window.js'
import { retryAfterSeconds, type RateDecision } from '../../../src/emulators/rate-limit.js'
import {
  resolveBrazeConfig,
  type BrazeEmulatorConfig,
  type BrazePermission,
  type BrazeRateGroup,
  type ResolvedBrazeConfig,
} from './braze-config.js'
import { BRAZE_MESSAGES, brazeError } from './braze-errors.js'
import { applyBrazeSeed, listSegments } from './braze-segments.js'
import { BrazeState, type BrazeStateSnapshot } from './braze-state.js'
import { trackUsers } from './braze-track.js'
import { deleteUsers, exportUsers } from './braze-user-routes.js'

/** A Braze emulator. */
export type BrazeEmulator = Emulator<BrazeStateSnapshot>

/** Who a Braze request comes from: its REST API key. */
interface BrazeCaller {
  key: string
}

/** A route's operation is the permission it needs; each belongs to a rate-limit group. */
const RATE_GROUPS: Record<BrazePermission, BrazeRateGroup> = {
  'users.track': 'usersTrack',
  'users.delete': 'usersDelete',
  'users.export.ids': 'usersExportIds',
  'segments.list': 'default',
}

/**
 * Creates an emulator of a Braze instance's REST endpoint (its URL plays the part of
 * `https://rest.iad-01.braze.com`): `/users/track`, `/users/delete`, `/users/export/ids` and
 * `/segments/list`, with permission-scoped keys. Call `start()` to listen.
 */
export function createBrazeEmulator(config: BrazeEmulatorConfig = {}): BrazeEmulator {
  return new EmulatorServer(new BrazeVendor(config), config)
}

/** Creates and starts a Braze emulator. */
export async function startBrazeEmulator(config: BrazeEmulatorConfig = {}): Promise<BrazeEmulator> {
  const emulator = createBrazeEmulator(config)
  await emulator.start()
  return emulator
}

/** Braze behaviour for the shared server (reference/destinations.md sections 2 and 5.2). */
class BrazeVendor implements EmulatorVendor<BrazeCaller, BrazeStateSnapshot> {
  readonly name = 'braze'
  readonly routes: readonly VendorRoute<BrazeCaller>[]
  readonly #config: ResolvedBrazeConfig
  readonly #seed: BrazeEmulatorConfig
  readonly #state = new BrazeState()
  readonly #windows = new Map<BrazeRateGroup, FixedWindow>()

  constructor(config: BrazeEmulatorConfig) {
    this.#config = resolveBrazeConfig(config)
    this.#seed = config
    this.routes = [
      { method: 'POST', path: '/users/track', operation: 'users.track', handle: (r) => trackUsers(r, this.#state, this.#config) },
      { method: 'POST', path: '/users/delete', operation: 'users.delete', handle: (r) => deleteUsers(r, this.#state) },
      { method: 'POST', path: '/users/export/ids', operation: 'users.export.ids', handle: (r) => exportUsers(r, this.#state) },
      { method: 'GET', path: '/segments/list', operation: 'segments.list', handle: (r) => listSegments(r, this.#state) },
    ]
    this.reset()
  }

  /** 401 for an unknown key, 403 `Access Denied` for a key without the route's permission (section 2.6). */
  authenticate(request: EmulatorRequest, route: VendorRoute<BrazeCaller>): AuthResult<BrazeCaller> {
    const key = bearerToken(request)
    const permissions = key === undefined ? undefined : this.#config.apiKeys.get(key)
    if (key === undefined || permissions === undefined) return { response: brazeError(401, BRAZE_MESSAGES.invalidApiKey) }
    if (!permissions.has(route.operation as BrazePermission)) return { response: brazeError(403, BRAZE_MESSAGES.accessDenied) }
    return { principal: { key } }
  }

  /** Fixed windows per endpoint group, with lowercase `x-ratelimit-*` headers on every answer (section 2.5). */
  admit(_request: EmulatorRequest, route: VendorRoute<BrazeCaller>): Admission {
    const group = RATE_GROUPS[route.operation as BrazePermission]
    const limit = this.#config.rateLimits[group]
    if (limit === false) return {}
    let window = this.#windows.get(group)
    if (window === undefined) this.#windows.set(group, (window = new FixedWindow(limit, this.#config.clock)))
    const decision = window.take()
    const headers = this.#rateHeaders(decision)
    if (decision.allowed) return { headers }
    const rejection = brazeError(429, BRAZE_MESSAGES.rateLimited)
    return {
      headers,
      rejection: this.#config.retryAfter
        ? { ...rejection, headers: { 'retry-after': retryAfterSeconds(decision.retryAfterMs) } }
        : rejection,
    }
  }

  errorResponse(status: number, message: string): EmulatorResponse {
    return brazeError(status, message)
  }

  snapshot(): BrazeStateSnapshot {
    return this.#state.snapshot()
  }

  reset(): void {
    this.#state.clear()
    this.#windows.clear()
    const problems = applyBrazeSeed(this.#state, { segments: this.#seed.segments ?? [] })
    if (problems.length > 0) throw new RangeError(`braze emulator config: ${problems.join('; ')}`)
  }

  seed(body: unknown): string[] {
    return applyBrazeSeed(this.#state, body)
  }

  /** `x-ratelimit-reset` is in UTC epoch seconds, read off the wall clock at the window's end. */
  #rateHeaders(decision: RateDecision): Record<string, string> {
    const clock = this.#config.clock
    const resetEpochSeconds = Math.ceil((clock.epochMs() + decision.resetAtMs - clock.monotonicMs()) / 1000)
    return {
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(resetEpochSeconds),
    }
  }
}
