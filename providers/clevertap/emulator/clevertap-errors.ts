import { jsonResponse, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'

/** CleverTap's error body: `{ status: "fail", error, code }`, as its 401 was recorded (reference section 3.3). */
export function clevertapError(status: number, error: string): EmulatorResponse {
  return jsonResponse(status, { status: 'fail', error, code: status })
}

/** Messages: the 401 text was recorded from the live API, the 429 text is documented; the others are [unverified]. */
export const CLEVERTAP_MESSAGES = {
  invalidAccount: 'Account ID is not valid',
  tooManyConcurrent: 'Too many concurrent requests',
} as const
