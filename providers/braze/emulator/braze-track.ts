import { isRecord } from '../../../src/util/is-record.js'
import { jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { ResolvedBrazeConfig } from './braze-config.js'
import { BRAZE_MESSAGES, brazeError, type BrazeObjectError } from './braze-errors.js'
import { findOrCreateUser, readIdentity, type BrazeIdentity } from './braze-identity.js'
import type { BrazeState, BrazeUser } from './braze-state.js'
import { parseBrazeTime } from './braze-time.js'
import { applyAttributes, checkEvent, checkPurchase } from './braze-track-objects.js'

const ARRAYS = ['attributes', 'events', 'purchases'] as const
type TrackArray = (typeof ARRAYS)[number]

/**
 * `POST /users/track` (reference section 2.3): attributes, then events, then purchases. Each
 * object is checked on its own; an invalid one becomes an entry of `errors` and the others are
 * still applied (201). When no object at all is valid the answer is a 400 with the same errors.
 */
export function trackUsers(request: EmulatorRequest, state: BrazeState, config: ResolvedBrazeConfig): EmulatorResponse {
  const arrays = readArrays(request.body)
  if (typeof arrays === 'string') return brazeError(400, BRAZE_MESSAGES.badRequest, [arrays])
  const sizes = ARRAYS.map((name) => arrays[name]?.length ?? 0)
  if (sizes.some((size) => size > config.maxObjectsPerArray) || sizes.reduce((a, b) => a + b, 0) > config.maxObjectsPerRequest) {
    return brazeError(400, BRAZE_MESSAGES.maxInputLength)
  }
  const errors: BrazeObjectError[] = []
  const counts: Record<string, number> = {}
  for (const name of ARRAYS) {
    const objects = arrays[name]
    if (objects !== undefined) counts[`${name}_processed`] = processArray(name, objects, state, config, errors)
  }
  if (Object.values(counts).every((count) => count === 0)) return brazeError(400, BRAZE_MESSAGES.noValidData, errors)
  return jsonResponse(201, errors.length === 0 ? { ...counts, message: 'success' } : { ...counts, message: 'success', errors })
}

function readArrays(body: unknown): Partial<Record<TrackArray, Record<string, unknown>[]>> | string {
  if (!isRecord(body)) return 'the body must be a JSON object'
  const arrays: Partial<Record<TrackArray, Record<string, unknown>[]>> = {}
  for (const name of ARRAYS) {
    const value = body[name]
    if (value === undefined) continue
    if (!Array.isArray(value) || !value.every(isRecord)) return `'${name}' must be an array of objects`
    arrays[name] = value
  }
  return arrays
}

function processArray(
  name: TrackArray,
  objects: readonly Record<string, unknown>[],
  state: BrazeState,
  config: ResolvedBrazeConfig,
  errors: BrazeObjectError[],
): number {
  let processed = 0
  for (const [index, object] of objects.entries()) {
    const checked = checkObject(name, object)
    if ('error' in checked) {
      errors.push({ type: checked.error, input_array: name, index })
      continue
    }
    processed += 1
    const nowMs = config.clock.epochMs()
    const user = findOrCreateUser(state, checked, new Date(nowMs).toISOString())
    if (user !== undefined) applyObject(name, object, user, state, nowMs)
  }
  return processed
}

/** The object's identity when the object is valid; identifier problems are reported first. */
function checkObject(name: TrackArray, object: Record<string, unknown>): BrazeIdentity | { error: string } {
  const identity = readIdentity(object)
  if ('error' in identity) return identity
  const problem = name === 'events' ? checkEvent(object) : name === 'purchases' ? checkPurchase(object) : undefined
  return problem === undefined ? identity : { error: problem }
}

function applyObject(name: TrackArray, object: Record<string, unknown>, user: BrazeUser, state: BrazeState, nowMs: number): void {
  state.touch(user, new Date(nowMs).toISOString())
  if (name === 'attributes') {
    applyAttributes(state, user, object)
    return
  }
  // Times in the future are stored as now (event object; reference section 2.3).
  const time = new Date(Math.min(parseBrazeTime(object['time']) ?? nowMs, nowMs)).toISOString()
  const properties = isRecord(object['properties']) ? object['properties'] : {}
  const owner = user.external_id === undefined ? { braze_id: user.braze_id } : { braze_id: user.braze_id, external_id: user.external_id }
  if (name === 'events') {
    const appId = typeof object['app_id'] === 'string' ? { app_id: object['app_id'] } : {}
    state.addEvent({ ...owner, name: String(object['name']), time, ...appId, properties })
    return
  }
  const quantity = typeof object['quantity'] === 'number' ? object['quantity'] : 1
  state.addPurchase({
    ...owner,
    product_id: String(object['product_id']),
    currency: String(object['currency']).toUpperCase(),
    price: Number(object['price']),
    quantity,
    time,
    properties,
  })
}
