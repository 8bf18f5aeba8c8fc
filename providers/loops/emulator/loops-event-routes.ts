import { canonicalJson } from '../../../src/canonical-json.js'
import { headerValue, jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import type { IdempotencyStore } from '../../../src/emulators/idempotency-store.js'
import type { ResolvedLoopsConfig } from './loops-config.js'
import { LOOPS_MESSAGES, loopsError } from './loops-errors.js'
import type { LoopsState } from './loops-state.js'
import { upsertContact } from './loops-upsert.js'

/** Longest `Idempotency-Key` Loops accepts (loops.json `sendEvent` header parameter). */
const MAX_IDEMPOTENCY_KEY_LENGTH = 100

/** `POST /v1/events/send`, with `Idempotency-Key` (reference section 1.6). */
export function loopsEventRoutes(state: LoopsState, config: ResolvedLoopsConfig, keys: IdempotencyStore<string>): VendorRoute<string>[] {
  return [{ method: 'POST', path: '/v1/events/send', operation: 'sendEvent', handle: (r) => sendEvent(r, state, config, keys) }]
}

/**
 * Records an event for the contact the identifiers point to (upserted as by an update, with the
 * contact properties sent alongside). A key is remembered only once the send succeeded, so a
 * rejected request may be retried with the same key.
 */
function sendEvent(
  request: EmulatorRequest,
  state: LoopsState,
  config: ResolvedLoopsConfig,
  keys: IdempotencyStore<string>,
): EmulatorResponse {
  const key = headerValue(request, 'idempotency-key')
  const body = request.body as Record<string, unknown>
  if (key !== undefined) {
    const refusal = checkIdempotencyKey(key, body, keys, config)
    if (refusal !== undefined) return refusal
  }
  const eventProperties = (body['eventProperties'] ?? {}) as Record<string, unknown>
  const tooLong = Object.entries(eventProperties).find(([, v]) => typeof v === 'string' && v.length > config.maxStringLength)
  if (tooLong !== undefined) return loopsError(400, `"${tooLong[0]}" must be at most ${config.maxStringLength} characters.`)
  const contact = upsertContact(body, state, config)
  if (typeof contact === 'string') return loopsError(400, contact)
  const receivedAt = new Date(config.clock.epochMs()).toISOString()
  const eventName = String(body['eventName'])
  state.events.push({
    eventName,
    contactId: contact.id,
    email: contact.email,
    userId: contact.userId,
    eventProperties,
    idempotencyKey: key ?? null,
    receivedAt,
  })
  if (key !== undefined) keys.set(key, canonicalJson(body), config.idempotencyTtlMs)
  return jsonResponse(200, { success: true })
}

function checkIdempotencyKey(
  key: string,
  body: unknown,
  keys: IdempotencyStore<string>,
  config: ResolvedLoopsConfig,
): EmulatorResponse | undefined {
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return loopsError(400, `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`)
  }
  const previous = keys.get(key)
  if (previous === undefined) return undefined
  if (previous !== canonicalJson(body)) return loopsError(409, LOOPS_MESSAGES.idempotencyBodyMismatch)
  return config.idempotentReplay === 'success' ? jsonResponse(200, { success: true }) : loopsError(409, LOOPS_MESSAGES.idempotencyKeyUsed)
}
