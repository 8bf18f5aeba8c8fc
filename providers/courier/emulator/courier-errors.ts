import { jsonResponse, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'

/**
 * Courier's error body, `{ type, message }` (courier.json `BadRequest`, `NotFound`; reference
 * section 4.4). Only `invalid_request_error` is documented; 5xx answers use `api_error`, and the
 * bodies of 401 and 429 are [unverified] (section 6).
 */
export function courierError(status: number, message: string): EmulatorResponse {
  return jsonResponse(status, { type: status >= 500 ? 'api_error' : 'invalid_request_error', message })
}
