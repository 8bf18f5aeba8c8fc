import { isRecord } from '../util/is-record.js'
import { requestIdOf, type HttpResponse } from './http.js'

/**
 * An endpoint's documented success answer: its status and the shape of its body. A connector
 * declares one per endpoint it calls (`providers/<vendor>/<vendor>-answers.ts`), and counts a
 * record as taken only on that answer. Anything else with a 2xx status (a proxy's login page,
 * truncated JSON, an empty body, `{"success": false}`) is an unexpected answer: the vendor may
 * not have the record, so it is never recorded as synced.
 */
export interface ExpectedAnswer {
  /** The endpoint, as messages name it: `POST /v1/contacts/create`. */
  endpoint: string
  /** The documented success statuses. */
  status: readonly number[]
  /** The documented body, in words, for messages: `{ "success": true, "id": "..." }`. */
  shape: string
  /** Whether a parsed body is the documented one (undefined is an empty body; a string is a body that is not JSON). */
  matches(body: unknown): boolean
}

/** True when the response is the endpoint's documented success answer. */
export function isExpectedAnswer(expected: ExpectedAnswer, response: HttpResponse): boolean {
  return expected.status.includes(response.status) && expected.matches(response.body)
}

/**
 * Why an answer is not the documented one, without quoting its body (it may hold another
 * system's page or the records sent): its status, content type and size, and what was expected.
 */
export function describeUnexpectedAnswer(vendor: string, expected: ExpectedAnswer, response: HttpResponse): string {
  const id = requestIdOf(response)
  return `${vendor} answered ${expected.endpoint} unexpectedly: HTTP ${response.status} with ${describeBody(response)}, where ${expected.status.join(' or ')} with ${expected.shape} means success; a proxy or wrong base URL can cause this${id === undefined ? '' : ` (request id ${id})`}`
}

function describeBody(response: HttpResponse): string {
  const type = response.headers['content-type']?.split(';')[0]?.trim()
  const typed = type === undefined || type === '' ? '' : ` (${type})`
  const { body } = response
  if (body === undefined) return `an empty body${typed}`
  if (typeof body === 'string') return `a body that is not JSON${typed}, ${body.length} characters`
  if (Array.isArray(body)) return `a JSON array of ${body.length}${typed}`
  if (isRecord(body)) {
    const keys = Object.keys(body)
    return keys.length === 0 ? `an empty JSON object${typed}` : `a JSON object with ${keys.slice(0, 6).join(', ')}${typed}`
  }
  return `a JSON ${body === null ? 'null' : typeof body}${typed}`
}

/*
 * Small body predicates the vendors' answer declarations are built from.
 */

/** A JSON object whose listed fields hold exactly these values. */
export function objectWith(values: Readonly<Record<string, unknown>>): (body: unknown) => boolean {
  return (body) => isRecord(body) && Object.entries(values).every(([name, value]) => body[name] === value)
}

/** No body at all (a 204, or a 202 that says nothing). */
export function emptyBody(body: unknown): boolean {
  return body === undefined
}

/** A JSON array. */
export function jsonArray(body: unknown): boolean {
  return Array.isArray(body)
}
