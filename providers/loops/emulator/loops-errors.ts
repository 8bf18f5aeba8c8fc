import { jsonResponse, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'

/** Loops' error body (loops.json `ContactFailureResponse` and friends): `{ success: false, message }`. */
export function loopsError(status: number, message: string): EmulatorResponse {
  return jsonResponse(status, { success: false, message })
}

/** Loops' 401, with the deprecated `error` field it still sends (reference/destinations.md section 1.2). */
export function loopsInvalidApiKey(): EmulatorResponse {
  return jsonResponse(401, { success: false, message: 'Invalid API key', error: 'Invalid API key' })
}

/**
 * Error messages. Loops rewords them from time to time (reference section 1.5): clients should
 * match on status. Texts quoted by the reference are marked; the others are [unverified].
 */
export const LOOPS_MESSAGES = {
  /** loops.json `ContactFailureResponse` example. */
  invalidEmail: 'Invalid email address.',
  /** Quoted in reference section 1.5 (different-ai/agent-bank#192). */
  alreadyOnList: 'Email or userId is already on list.',
  /** Quoted in reference section 1.5 (polarsource/polar#11675). */
  multipleContacts: 'Multiple contacts found for the given criteria',
  /** loops.json `EventFailureResponse` example. */
  contactNotFound: 'Contact not found.',
  /** loops.json `ContactDeleteResponse` example. */
  contactDeleted: 'Contact deleted.',
  /** loops.json `ContactPropertyFailureResponse` example. */
  propertyExists: 'Property already exists.',
  /** loops.json `IdempotencyKeyFailureResponse` example. */
  idempotencyBodyMismatch: 'Idempotency key already used with a different request body.',
  /** loops.json `sendEvent` 409 description. */
  idempotencyKeyUsed: 'Idempotency key has been used.',
  oneIdentifier: 'Provide either email or userId, not both.',
  missingIdentifier: 'An email or userId is required.',
  rateLimited: 'Rate limit exceeded.',
} as const
