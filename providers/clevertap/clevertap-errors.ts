import type { ErrorClass } from '../../src/destinations/error-class.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { isRecord } from '../../src/util/is-record.js'

/** One row of the HTTP table: a status (or an inclusive range of them) and what it means. */
export interface CleverTapErrorRule {
  status: number | readonly [number, number]
  errorClass: ErrorClass
  /** The `code` of the record result. */
  code: string
}

/**
 * How CleverTap's HTTP answers map to error classes, first match wins (the HTTP codes of
 * https://developer.clevertap.com/docs/api-errors; reference/destinations.md section 3.3). Error
 * bodies are `{ status: "fail", error, code }`. Problems with single records never come as HTTP
 * errors: `/1/upload` answers 200 and lists them in `unprocessed` (see the record table below).
 */
export const CLEVERTAP_ERROR_TABLE: readonly CleverTapErrorRule[] = [
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
export function classifyCleverTapResponse(response: HttpResponse): Pick<CleverTapErrorRule, 'errorClass' | 'code'> {
  const rule = CLEVERTAP_ERROR_TABLE.find(({ status }) =>
    typeof status === 'number' ? status === response.status : response.status >= status[0] && response.status <= status[1],
  )
  return rule ?? { errorClass: 'retryable', code: 'vendor_error' }
}

/**
 * Per-record codes of `unprocessed` entries that are not the record's fault: 555 "miscellaneous
 * server error" (api-errors, as summarized in section 3.3) may pass on a later try, so it fails the
 * record. Every other code (509, 512-526, 528) describes the record itself and rejects it.
 */
export const CLEVERTAP_RETRYABLE_RECORD_CODES: ReadonlySet<number> = new Set([555])

/** Longest vendor message kept in a result: enough for the reason, never a whole HTML page. */
const MAX_MESSAGE_LENGTH = 300

/** CleverTap's `error` (or `message`), trimmed; undefined for a body without one. */
export function readCleverTapMessage(body: unknown): string | undefined {
  return isRecord(body) ? trimMessage(body['error'] ?? body['message']) : undefined
}

/** A text from a CleverTap body, whitespace collapsed and cut to a readable length. */
export function trimMessage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.replace(/\s+/g, ' ').trim()
  if (text === '') return undefined
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text
}
