import type { ErrorClass } from './error-class.js'
import type { HttpResponse } from './http.js'

/**
 * One row of a vendor's error table (`providers/<vendor>/<vendor>-errors.ts`): a status or an
 * inclusive range, optionally part of the vendor's message, and what it means.
 */
export interface ErrorRule {
  status: number | readonly [number, number]
  /** Part of the vendor's message, any case; every message when omitted. */
  message?: string
  errorClass: ErrorClass
  /** The `code` of a record the rule refuses. */
  code: string
}

/** What an answer means by a vendor's table, first match wins. Statuses outside it are vendor faults, retried. */
export function classifyByTable(table: readonly ErrorRule[], response: HttpResponse, message = ''): Pick<ErrorRule, 'errorClass' | 'code'> {
  const text = message.toLowerCase()
  const rule = table.find(
    (row) =>
      (typeof row.status === 'number'
        ? row.status === response.status
        : response.status >= row.status[0] && response.status <= row.status[1]) &&
      (row.message === undefined || text.includes(row.message.toLowerCase())),
  )
  return rule ?? { errorClass: 'retryable', code: 'vendor_error' }
}

/** Longest vendor message kept in a result: enough for the reason, never a whole HTML page. */
const MAX_MESSAGE_LENGTH = 300

/** A vendor's message on one line and at most 300 characters; undefined when it is not a non-empty string. */
export function trimVendorMessage(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.replace(/\s+/g, ' ').trim()
  if (text === '') return undefined
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text
}
