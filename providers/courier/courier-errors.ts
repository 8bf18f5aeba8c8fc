import { classifyByTable, trimVendorMessage, type ErrorRule } from '../../src/destinations/error-table.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { isRecord } from '../../src/util/is-record.js'

/**
 * How Courier answers map to error classes, first match wins. Courier's error body is
 * `{ type, message }` (courier.json `BadRequest`, `NotFound`; reference/destinations.md section
 * 4.4); only `invalid_request_error` is documented, so the table matches statuses. Statuses that
 * mean success for one call (404 on a member removal, 404 on a list lookup) are handled where that
 * call is made.
 */
export const COURIER_ERROR_TABLE: readonly ErrorRule[] = [
  // The SDK maps 401 to AuthenticationError and 403 to PermissionDeniedError
  // (@trycourier/courier `core/error.ts`; section 4.2).
  { status: 401, errorClass: 'auth', code: 'auth' },
  { status: 403, errorClass: 'auth', code: 'auth' },
  // List writes, 20 a minute (section 4.5).
  { status: 429, errorClass: 'rate_limited', code: 'rate_limited' },
  // The SDK retries 408, 409 and every status from 500 (@trycourier/courier `client.ts`; section
  // 4.5); a 409 is a request that conflicted with a concurrent one (section 4.6).
  { status: 408, errorClass: 'retryable', code: 'vendor_error' },
  { status: 409, errorClass: 'retryable', code: 'conflict' },
  { status: [500, 599], errorClass: 'retryable', code: 'vendor_error' },
  // courier.json `BadRequest` on every write; 413 and 422 (the SDK's UnprocessableEntityError)
  // refuse the body as sent.
  { status: 400, errorClass: 'record', code: 'invalid' },
  { status: 413, errorClass: 'record', code: 'too_large' },
  { status: 422, errorClass: 'record', code: 'invalid' },
  // An unknown path or method: a wrong `baseUrl` or a bug, the same for every record.
  { status: [404, 405], errorClass: 'fatal', code: 'request_invalid' },
  { status: [400, 499], errorClass: 'record', code: 'invalid' },
]

/**
 * What an unsuccessful Courier answer means. `x-should-retry: true`, which the SDK obeys before
 * the status (section 4.5), makes any non-auth answer retryable. Statuses outside the table are
 * treated as vendor faults.
 */
export function classifyCourierResponse(response: HttpResponse): Pick<ErrorRule, 'errorClass' | 'code'> {
  const rule = classifyByTable(COURIER_ERROR_TABLE, response)
  if (rule.errorClass !== 'auth' && response.headers['x-should-retry'] === 'true') return { errorClass: 'retryable', code: 'vendor_error' }
  return rule
}

/** Courier's `message`, trimmed; undefined for a body without one (load balancer pages are not quoted). */
export function readCourierMessage(body: unknown): string | undefined {
  return isRecord(body) ? trimVendorMessage(body['message']) : undefined
}
