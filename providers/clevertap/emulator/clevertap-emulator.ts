import { ConcurrencyLimit } from '../../../src/emulators/concurrency-limit.js'
import type { Emulator } from '../../../src/emulators/emulator.js'
import { headerValue, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import { EmulatorServer } from '../../../src/emulators/emulator-server.js'
import type { Admission, AuthResult, EmulatorVendor, VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import { resolveCleverTapConfig, type CleverTapEmulatorConfig, type ResolvedCleverTapConfig } from './clevertap-config.js'
import { CLEVERTAP_MESSAGES, clevertapError } from './clevertap-errors.js'
import { connect, deleteProfiles, getProfile } from './clevertap-profile-routes.js'
import { CleverTapState, type CleverTapStateSnapshot } from './clevertap-state.js'
import { upload } from './clevertap-upload.js'

/** A CleverTap emulator. */
export type CleverTapEmulator = Emulator<CleverTapStateSnapshot>

/**
 * Creates an emulator of the CleverTap server API. One server answers for every region: point
 * `https://<region>.api.clevertap.com` at its URL. Call `start()` to listen.
 */
export function createCleverTapEmulator(config: CleverTapEmulatorConfig = {}): CleverTapEmulator {
  return new EmulatorServer(new CleverTapVendor(config), config)
}

/** Creates and starts a CleverTap emulator. */
export async function startCleverTapEmulator(config: CleverTapEmulatorConfig = {}): Promise<CleverTapEmulator> {
  const emulator = createCleverTapEmulator(config)
  await emulator.start()
  return emulator
}

/** CleverTap behaviour for the shared server (reference/destinations.md sections 3 and 5.3). */
class CleverTapVendor implements EmulatorVendor<string, CleverTapStateSnapshot> {
  readonly name = 'clevertap'
  readonly routes: readonly VendorRoute<string>[]
  readonly #config: ResolvedCleverTapConfig
  readonly #state = new CleverTapState()
  readonly #uploads: ConcurrencyLimit

  constructor(config: CleverTapEmulatorConfig) {
    this.#config = resolveCleverTapConfig(config)
    this.#uploads = new ConcurrencyLimit(this.#config.maxConcurrentUploads)
    this.routes = [
      { method: 'POST', path: '/1/upload', operation: 'upload', handle: (r) => upload(r, this.#state, this.#config) },
      { method: 'GET', path: '/v1/connect', operation: 'connect', handle: (r) => connect(r) },
      { method: 'GET', path: '/1/profile.json', operation: 'profile', handle: (r) => getProfile(r, this.#state) },
      { method: 'POST', path: '/1/delete/profiles.json', operation: 'deleteProfiles', handle: (r) => deleteProfiles(r, this.#state) },
    ]
  }

  /** `X-CleverTap-Account-Id` and `X-CleverTap-Passcode`; either wrong gives the recorded 401 body (section 3.3). */
  authenticate(request: EmulatorRequest): AuthResult<string> {
    const accountId = headerValue(request, 'x-clevertap-account-id')
    const passcode = headerValue(request, 'x-clevertap-passcode')
    if (accountId !== this.#config.accountId || passcode === undefined || !this.#config.passcodes.has(passcode)) {
      return { response: clevertapError(401, CLEVERTAP_MESSAGES.invalidAccount) }
    }
    return { principal: accountId }
  }

  /** No time window, only uploads in flight: 429 beyond the cap, without `Retry-After` (section 3.5). */
  admit(_request: EmulatorRequest, route: VendorRoute<string>): Admission {
    if (route.operation !== 'upload') return {}
    const release = this.#uploads.tryAcquire()
    if (release !== undefined) return { release }
    const rejection = clevertapError(429, CLEVERTAP_MESSAGES.tooManyConcurrent)
    // A slot frees when any upload ends; there is no time to compute, so one second is a guess.
    return { rejection: this.#config.retryAfter ? { ...rejection, headers: { 'retry-after': '1' } } : rejection }
  }

  errorResponse(status: number, message: string): EmulatorResponse {
    return clevertapError(status, message)
  }

  snapshot(): CleverTapStateSnapshot {
    return this.#state.snapshot()
  }

  reset(): void {
    this.#state.clear()
  }
}
