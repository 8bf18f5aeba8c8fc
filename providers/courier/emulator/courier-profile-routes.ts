import { isRecord } from '../../../src/util/is-record.js'
import { emptyResponse, jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import type { ResolvedCourierConfig } from './courier-config.js'
import { courierError } from './courier-errors.js'
import { applyJsonPatch, type JsonPatchOperation } from './courier-json-patch.js'
import type { CourierState } from './courier-state.js'

const SUCCESS = { status: 'SUCCESS' } as const

/**
 * `/profiles/{user_id}` (reference/destinations.md section 4.3): POST merges into the profile (or
 * creates it), PUT replaces it (absent keys are removed), PATCH applies JSON Patch, DELETE removes it.
 */
export function courierProfileRoutes(state: CourierState, config: ResolvedCourierConfig): VendorRoute<string>[] {
  return [
    { method: 'GET', path: '/profiles/:user_id', operation: 'profiles_get', handle: (r) => getProfile(r, state) },
    { method: 'POST', path: '/profiles/:user_id', operation: 'profiles_create', handle: (r) => writeProfile(r, state, 'merge') },
    { method: 'PUT', path: '/profiles/:user_id', operation: 'profiles_replace', handle: (r) => writeProfile(r, state, 'replace') },
    { method: 'PATCH', path: '/profiles/:user_id', operation: 'profiles_mergeProfile', handle: (r) => patchProfile(r, state, config) },
    { method: 'DELETE', path: '/profiles/:user_id', operation: 'profiles_delete', handle: (r) => deleteProfile(r, state) },
  ]
}

/** 404 for an unknown user: courier.json documents only 400, the SDK has a 404 class. [unverified] */
function getProfile(request: EmulatorRequest, state: CourierState): EmulatorResponse {
  const stored = state.profiles.get(userId(request))
  if (stored === undefined) return courierError(404, `Profile ${userId(request)} not found`)
  return jsonResponse(200, { profile: stored.profile, preferences: stored.preferences })
}

/** A shallow merge: top-level keys of the body replace the stored ones. [unverified] how deep Courier merges. */
function writeProfile(request: EmulatorRequest, state: CourierState, mode: 'merge' | 'replace'): EmulatorResponse {
  const profile = (request.body as { profile: Record<string, unknown> }).profile
  const stored = state.profiles.get(userId(request))
  const merged = mode === 'merge' && stored !== undefined ? { ...stored.profile, ...profile } : { ...profile }
  state.profiles.set(userId(request), { profile: merged, preferences: stored?.preferences ?? null })
  return jsonResponse(200, SUCCESS)
}

/** Patches a missing profile as an empty one, as Courier's legacy docs say it creates one (section 4.3). */
function patchProfile(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const operations = (request.body as { patch: JsonPatchOperation[] }).patch
  const stored = state.profiles.get(userId(request))
  const patched = applyJsonPatch(stored?.profile ?? {}, operations)
  if (typeof patched === 'string') return courierError(400, patched)
  if (!isRecord(patched)) return courierError(400, 'a profile must stay an object')
  state.profiles.set(userId(request), { profile: patched, preferences: stored?.preferences ?? null })
  return config.responseStyle === 'legacy' ? jsonResponse(200, SUCCESS) : emptyResponse(204)
}

/** Memberships stay: cascading is not documented (section 4.7). */
function deleteProfile(request: EmulatorRequest, state: CourierState): EmulatorResponse {
  state.profiles.delete(userId(request))
  return emptyResponse(204)
}

function userId(request: EmulatorRequest): string {
  return request.params['user_id'] ?? ''
}
