import { jsonResponse, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'

/** A track-object error inside a 201 or 400 answer. [unverified] shape (reference section 2.3), as third-party client tests record it. */
export interface BrazeObjectError {
  type: string
  input_array: 'attributes' | 'events' | 'purchases'
  index: number
}

/** Braze's error envelope: `{ message, errors? }` (reference section 2.6). */
export function brazeError(status: number, message: string, errors?: readonly unknown[]): EmulatorResponse {
  return jsonResponse(status, errors === undefined ? { message } : { message, errors })
}

/**
 * Messages. The 400 and 403 texts are the status descriptions of https://www.braze.com/docs/api/errors/;
 * the others are [unverified]: seen in third-party integration tests (rudderlabs/rudder-transformer
 * Braze fixtures) rather than in Braze's documentation.
 */
export const BRAZE_MESSAGES = {
  maxInputLength: 'Max Input Length Exceeded',
  maxIdsDelete: 'The max number of ids per request was exceeded',
  maxIdsExport: 'The max number of external_ids and aliases per request was exceeded',
  accessDenied: 'Access Denied',
  badRequest: 'Bad Request',
  invalidApiKey: 'Invalid API Key',
  rateLimited: 'Rate Limited',
  noValidData: "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.",
  identifierRequired: "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required",
} as const
