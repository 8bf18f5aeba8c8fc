import {
  DROP_CONNECTION,
  headerValue,
  type EmulatorRequest,
  type EmulatorResponse,
  type RequestOutcome,
} from '../../../src/emulators/emulator-http.js'
import type { IdempotencyStore } from '../../../src/emulators/idempotency-store.js'
import { IDEMPOTENCY_TTL_MS } from '../../../src/emulators/idempotency-store.js'
import type { EmulatorClock } from '../../../src/emulators/clock.js'

/** The longest a key may be kept (`x-idempotency-expiration`, reference section 4.6). */
const MAX_TTL_MS = 365 * 24 * 60 * 60 * 1000

/**
 * Courier's idempotent POSTs (reference section 4.6): the first answer to an `Idempotency-Key`,
 * errors included, is stored and replayed for later requests with that key, whatever their body.
 * Nothing is stored when the request failed validation or was refused by a rate limit, so those
 * are safe to retry. Keys on other methods have no effect.
 */
export async function withCourierIdempotency(
  request: EmulatorRequest,
  store: IdempotencyStore<EmulatorResponse>,
  clock: EmulatorClock,
  next: () => Promise<RequestOutcome>,
): Promise<RequestOutcome> {
  const key = request.method === 'POST' ? headerValue(request, 'idempotency-key') : undefined
  if (key === undefined || key === '') return next()
  const stored = store.get(key)
  if (stored !== undefined) return stored
  const outcome = await next()
  if (outcome !== DROP_CONNECTION && outcome.origin !== 'validation' && outcome.origin !== 'rate-limit') {
    store.set(key, outcome, keyLifetimeMs(headerValue(request, 'x-idempotency-expiration'), clock))
  }
  return outcome
}

/** `x-idempotency-expiration` (epoch milliseconds or ISO 8601) keeps a key between 24 hours and a year. */
function keyLifetimeMs(expiration: string | undefined, clock: EmulatorClock): number {
  if (expiration === undefined) return IDEMPOTENCY_TTL_MS
  const at = /^\d+$/.test(expiration) ? Number(expiration) : Date.parse(expiration)
  if (Number.isNaN(at)) return IDEMPOTENCY_TTL_MS
  return Math.min(MAX_TTL_MS, Math.max(IDEMPOTENCY_TTL_MS, at - clock.epochMs()))
}
