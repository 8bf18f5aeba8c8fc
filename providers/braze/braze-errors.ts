import { classifyByTable, trimVendorMessage, type ErrorRule } from '../../src/destinations/error-table.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { isRecord } from '../../src/util/is-record.js'

/**
 * How Braze answers map to error classes, first match wins. Braze's error body is
 * `{ message, errors? }` (https://www.braze.com/docs/api/errors/; reference/destinations.md
 * section 2.6). `/users/track` answers carrying per-object `errors` (201, or 400 when no object was
 * valid) are mapped object by object before this table is consulted.
 */
export const BRAZE_ERROR_TABLE: readonly ErrorRule[] = [
  // An invalid key, a key of another instance, or a quoted key (errors page).
  { status: 401, errorClass: 'auth', code: 'auth' },
  // `Access Denied`: the key lacks the endpoint's permission; other 403s (`Forbidden`): the plan or
  // account is inactive (errors page).
  { status: 403, message: 'Access Denied', errorClass: 'auth', code: 'permission' },
  { status: 403, errorClass: 'auth', code: 'auth' },
  // Over an endpoint group's limit (api_limits page; section 2.5).
  { status: 429, errorClass: 'rate_limited', code: 'rate_limited' },
  // More than 75 objects in an array, or more than 50 ids in a delete (errors page; sections 2.3,
  // 2.4): the batch was sized wrong, a bug the same for every record.
  { status: 400, message: 'Max Input Length Exceeded', errorClass: 'fatal', code: 'request_invalid' },
  { status: 400, message: 'max number of', errorClass: 'fatal', code: 'request_invalid' },
  // Any other 400 (`Bad Request`, errors page) refuses the body as sent: one of its records.
  { status: 400, errorClass: 'record', code: 'invalid' },
  // An unknown path or method: a wrong `restEndpoint` or a bug (errors page: 404 invalid URL).
  { status: [404, 405], errorClass: 'fatal', code: 'request_invalid' },
  // Braze asks clients to retry 5xx with exponential backoff (errors page).
  { status: 408, errorClass: 'retryable', code: 'vendor_error' },
  { status: [500, 599], errorClass: 'retryable', code: 'vendor_error' },
  { status: [400, 499], errorClass: 'record', code: 'invalid' },
]

/** What an unsuccessful Braze answer means, by its status and `message`. */
export function classifyBrazeResponse(response: HttpResponse): Pick<ErrorRule, 'errorClass' | 'code'> {
  return classifyByTable(BRAZE_ERROR_TABLE, response, readBrazeMessage(response.body))
}

/**
 * Codes of refused track objects, by the error's text, first match wins. The per-object error
 * shape and texts are [unverified] (section 2.3); the blocklist text is quoted on the
 * post_user_track page.
 */
export const BRAZE_OBJECT_ERROR_TABLE: readonly { pattern: RegExp; code: string }[] = [
  { pattern: /black ?listed|block ?listed/i, code: 'blocked_external_id' },
  { pattern: /.*/, code: 'invalid_object' },
]

/** The code of a refused track object. */
export function classifyObjectError(type: string): string {
  return BRAZE_OBJECT_ERROR_TABLE.find(({ pattern }) => pattern.test(type))?.code ?? 'invalid_object'
}

/** The permission a Braze endpoint needs (section 2.1), to name it when a key lacks it. */
export const BRAZE_ENDPOINT_PERMISSIONS: Readonly<Record<string, string>> = {
  'GET /segments/list': 'segments.list',
  'POST /users/track': 'users.track',
  'POST /users/delete': 'users.delete',
}

/** Braze's `message`, trimmed; undefined for a body without one (load balancer pages are not quoted). */
export function readBrazeMessage(body: unknown): string | undefined {
  return isRecord(body) ? trimVendorMessage(body['message']) : undefined
}
