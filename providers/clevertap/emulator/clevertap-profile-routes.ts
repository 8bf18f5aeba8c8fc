import { isRecord } from '../../../src/util/is-record.js'
import { jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import { clevertapError } from './clevertap-errors.js'
import type { CleverTapProfile, CleverTapState } from './clevertap-state.js'

/** Most identities per delete request (reference section 3.4). */
export const CLEVERTAP_MAX_DELETE_IDENTITIES = 100

/** `GET /v1/connect?partner=<name>`: the partner credential check (section 3.2). [unverified] body. */
export function connect(request: EmulatorRequest): EmulatorResponse {
  const partner = request.query.get('partner')
  if (partner === null || partner === '') return clevertapError(400, "The 'partner' query parameter is required")
  return jsonResponse(200, { status: 'success' })
}

/**
 * `GET /1/profile.json?identity=|email=|objectId=` (section 3.4). [unverified] body: the profile
 * under `record`, its events counted by name; 404 with the error body when there is none.
 */
export function getProfile(request: EmulatorRequest, state: CleverTapState): EmulatorResponse {
  const identity = request.query.get('identity')
  const objectId = request.query.get('objectId')
  const email = request.query.get('email')
  if (identity === null && objectId === null && email === null) return clevertapError(400, 'One of identity, email or objectId is required')
  const profile = findProfile(state, identity, objectId, email)
  if (profile === undefined) return clevertapError(404, 'Profile not found')
  return jsonResponse(200, { status: 'success', record: profileRecord(profile, state) })
}

function findProfile(state: CleverTapState, identity: string | null, objectId: string | null, email: string | null) {
  if (identity !== null) return state.find({ identity })
  if (objectId !== null) return state.find({ objectId })
  return email === null ? undefined : state.findByEmail(email)
}

function profileRecord(profile: CleverTapProfile, state: CleverTapState): Record<string, unknown> {
  const events: Record<string, { count: number; first_seen: number; last_seen: number }> = {}
  for (const event of state.eventsOf(profile)) {
    const seen = events[event.evtName] ?? { count: 0, first_seen: event.ts, last_seen: event.ts }
    events[event.evtName] = {
      count: seen.count + 1,
      first_seen: Math.min(seen.first_seen, event.ts),
      last_seen: Math.max(seen.last_seen, event.ts),
    }
  }
  return { ...profile.identifiers, profileData: profile.profileData, events }
}

/**
 * `POST /1/delete/profiles.json` with `{ "identity": id | [ids] }` or `{ "guid": ... }` (the
 * CleverTap ID, `objectId` here); at most 100 values (section 3.4). [unverified] body.
 */
export function deleteProfiles(request: EmulatorRequest, state: CleverTapState): EmulatorResponse {
  const body = isRecord(request.body) ? request.body : {}
  const kind = body['identity'] !== undefined ? 'identity' : body['guid'] !== undefined ? 'objectId' : undefined
  if (kind === undefined) return clevertapError(400, "One of 'identity' or 'guid' is required")
  const raw = body[kind === 'identity' ? 'identity' : 'guid']
  const values = (Array.isArray(raw) ? raw : [raw]).map(String)
  if (values.length > CLEVERTAP_MAX_DELETE_IDENTITIES)
    return clevertapError(400, `At most ${CLEVERTAP_MAX_DELETE_IDENTITIES} identities may be deleted per request`)
  for (const value of values) {
    const profile = state.find({ [kind]: value })
    if (profile !== undefined) state.remove(profile)
  }
  return jsonResponse(200, { status: 'success' })
}
