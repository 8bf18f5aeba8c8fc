import { classifyByTable, trimVendorMessage, type ErrorRule } from '../../src/destinations/error-table.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { isRecord } from '../../src/util/is-record.js'

/**
 * How CleverTap's HTTP answers map to error classes, first match wins (the HTTP codes of
 * https://developer.clevertap.com/docs/api-errors; reference/destinations.md section 3.3). Error
 * bodies are `{ status: "fail", error, code }`. Problems with single records never come as HTTP
 * errors: `/1/upload` answers 200 and lists them in `unprocessed` (see the record table below).
 */
export const CLEVERTAP_ERROR_TABLE: readonly ErrorRule[] = [
  // 401 "Account ID is not valid" (recorded); a wrong region shows the same way (section 3.1).
  { status: 401, errorClass: 'auth', code: 'auth' },
  { status: 403, errorClass: 'auth', code: 'auth' },
  // "Too many concurrent requests": more than 15 uploads in flight (section 3.5).
  { status: 429, errorClass: 'rate_limited', code: 'rate_limited' },
  // The upload as a whole is malformed or has too many records: a bug, the same for every record.
  { status: 400, errorClass: 'fatal', code: 'request_invalid' },
  // An unknown path or method: a wrong `baseUrl` or a bug.
  { status: [404, 405], errorClass: 'fatal', code: 'request_invalid' },
  // 500 and 503 are CleverTap's server faults (api-errors).
  { status: 408, errorClass: 'retryable', code: 'vendor_error' },
  { status: [500, 599], errorClass: 'retryable', code: 'vendor_error' },
  // 409 and any other 4xx: the body as sent is refused.
  { status: [400, 499], errorClass: 'record', code: 'invalid' },
]

/** What an unsuccessful CleverTap answer means. Statuses outside the table are treated as vendor faults. */
export function classifyCleverTapResponse(response: HttpResponse): Pick<ErrorRule, 'errorClass' | 'code'> {
  return classifyByTable(CLEVERTAP_ERROR_TABLE, response)
}

/**
 * Per-record codes of `unprocessed` entries that are not the record's fault: 555 "miscellaneous
 * server error" (api-errors, as summarized in section 3.3) may pass on a later try, so it fails the
 * record. Every other code (509, 512-526, 528) describes the record itself and rejects it.
 */
export const CLEVERTAP_RETRYABLE_RECORD_CODES: ReadonlySet<number> = new Set([555])

/** CleverTap's `error` (or `message`), trimmed; undefined for a body without one. */
export function readCleverTapMessage(body: unknown): string | undefined {
  return isRecord(body) ? trimVendorMessage(body['error'] ?? body['message']) : undefined
}
