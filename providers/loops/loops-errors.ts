import { classifyByTable, trimVendorMessage, type ErrorRule } from '../../src/destinations/error-table.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { isRecord } from '../../src/util/is-record.js'

/**
 * How Loops answers map to error classes, first match wins. Loops' error body is
 * `{ success: false, message }` (loops.json `ContactFailureResponse`); messages are reworded from
 * time to time (reference/destinations.md section 1.5), so the table matches statuses only.
 * Statuses that mean success for one operation (409 on create, 404 on delete, 409 on an event
 * sent before) are handled where that operation is called, before this table is consulted.
 */
export const LOOPS_ERROR_TABLE: readonly ErrorRule[] = [
  // 401 `Invalid API key` (loops.json `testApiKey`; section 1.2).
  { status: 401, errorClass: 'auth', code: 'auth' },
  // Not documented by Loops; a refused permission is a credentials problem everywhere else.
  { status: 403, errorClass: 'auth', code: 'auth' },
  // 10 requests per second per team (section 1.7).
  { status: 429, errorClass: 'rate_limited', code: 'rate_limited' },
  // Invalid email, missing identifier, unknown userId, undeclared property, too long a value
  // (loops.json 400 responses of every contact and event operation; section 1.3).
  { status: 400, errorClass: 'record', code: 'invalid' },
  // Email or userId already on another contact (loops.json `createContact` 409; section 1.5).
  { status: 409, errorClass: 'record', code: 'conflict' },
  // A body over the load balancer's limit: that record is too large, the others are not.
  { status: 413, errorClass: 'record', code: 'too_large' },
  // Wrong method (loops.json 405 on every operation) or an unknown path: a wrong `baseUrl` or a
  // bug, the same for every record.
  { status: [404, 405], errorClass: 'fatal', code: 'request_invalid' },
  // The official CLI retries 429 and every status from 500 (Loops-so/cli `internal/api/client.go`; section 1.7).
  { status: 408, errorClass: 'retryable', code: 'vendor_error' },
  { status: [500, 599], errorClass: 'retryable', code: 'vendor_error' },
  // Any other 4xx: the request as sent is refused; repeating it unchanged would be too.
  { status: [400, 499], errorClass: 'record', code: 'invalid' },
]

/** What an unsuccessful Loops answer means. Statuses outside the table are treated as vendor faults. */
export function classifyLoopsResponse(response: HttpResponse): Pick<ErrorRule, 'errorClass' | 'code'> {
  return classifyByTable(LOOPS_ERROR_TABLE, response)
}

/**
 * The reason Loops gives, trimmed: `message`, or the older `error` forms the SDK also reads
 * (`"..."` or `{ message }`; loops-js `APIError`). Non-JSON bodies (load balancer pages) are not
 * quoted. Undefined when the body says nothing usable.
 */
export function readLoopsMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined
  const error = body['error']
  return trimVendorMessage(body['message'] ?? (isRecord(error) ? error['message'] : error))
}
