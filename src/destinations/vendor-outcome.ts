import { isOutflowError, OutflowError } from '../errors.js'
import type { DeliveryRecord, FailureCode, RecordResult } from './destination.js'
import type { ErrorClass } from './error-class.js'
import { describeUnexpectedAnswer, type ExpectedAnswer } from './expected-answer.js'
import { answerPlace, refusalDelayMs, requestLeft, type HttpResponse } from './http.js'

/**
 * How a vendor's answers read: its error table (`providers/<vendor>/<vendor>-errors.ts`), where
 * its error message sits in a body, and the words for refused credentials (which never quote them).
 */
export interface VendorErrors {
  vendor: string
  classify(response: HttpResponse): { errorClass: ErrorClass; code: string }
  readMessage(body: unknown): string | undefined
  authMessage(destination: string, code: string, endpoint: string, where: string): string
}

/** Who is delivering, for messages. */
export interface DeliveryContext {
  destination: string
  sync: string
}

/**
 * An answer to read, or `{ network }` when no answer came: `sent` says whether the request left
 * (reset, timed out: it may have arrived) or not (refused, host not found).
 */
export type VendorExchange = HttpResponse | { network: string; sent: boolean }

/** Sends one request; no answer is `{ network: message, sent }` for the caller to turn into `failed` results. */
export async function exchange(call: () => Promise<HttpResponse>): Promise<VendorExchange> {
  try {
    return await call()
  } catch (error) {
    if (!isOutflowError(error) || error.code !== 'DESTINATION_UNAVAILABLE') throw error
    return { network: error.message, sent: requestLeft(error) }
  }
}

/** A `failed` result, with the vendor's requested delay when there is one. */
export function failed(record: DeliveryRecord, code: FailureCode, message: string, delayMs?: number): RecordResult {
  return { key: record.key, status: 'failed', code, message, ...(delayMs === undefined ? {} : { retryAfterMs: delayMs }) }
}

/** The result of a record whose request got no answer. */
export function noAnswer(record: DeliveryRecord, answer: { network: string; sent: boolean }): RecordResult {
  return failed(record, answer.sent ? 'network' : 'not_sent', answer.network)
}

/**
 * The result of one record whose request the vendor did not accept, by its error table. Refused
 * credentials and requests wrong for every record throw: the run must stop. The vendor's reason
 * is quoted with the record's own values masked, and the endpoint named.
 */
export function recordFailure(
  errors: VendorErrors,
  destination: string,
  record: DeliveryRecord,
  expected: ExpectedAnswer,
  response: HttpResponse,
): RecordResult {
  if (isUnexpected(response)) return failed(record, 'unexpected_answer', describeUnexpectedAnswer(errors.vendor, expected, response))
  const { errorClass, code, message, where } = readAnswer(errors, expected.endpoint, response, record)
  switch (errorClass) {
    case 'auth':
      throw new OutflowError('DESTINATION_AUTH', errors.authMessage(destination, code, expected.endpoint, where))
    case 'fatal':
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${destination}": ${message}; check its baseUrl`)
    case 'record':
      return { key: record.key, status: 'rejected', code, message }
    case 'rate_limited':
    case 'retryable':
      return failed(record, failureOf(errorClass), message, refusalDelayMs(response, errorClass === 'rate_limited'))
  }
}

/**
 * The results of a batch whose whole request the vendor did not accept. As for one record, except
 * that a refused body of several records cannot be pinned on one: each fails with
 * `batch_rejected`, for the engine to split the batch.
 */
export function batchFailures(
  errors: VendorErrors,
  context: DeliveryContext,
  records: readonly DeliveryRecord[],
  expected: ExpectedAnswer,
  response: HttpResponse,
): RecordResult[] {
  if (isUnexpected(response)) {
    const message = describeUnexpectedAnswer(errors.vendor, expected, response)
    return records.map((record) => failed(record, 'unexpected_answer', message))
  }
  const endpoint = expected.endpoint
  const { errorClass, code, message, where } = readAnswer(errors, endpoint, response)
  switch (errorClass) {
    case 'auth':
      throw new OutflowError('DESTINATION_AUTH', errors.authMessage(context.destination, code, endpoint, where))
    case 'fatal':
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${context.destination}", sync "${context.sync}": ${message}`)
    case 'record':
      return records.length === 1
        ? records.map((record) => ({ key: record.key, status: 'rejected', code, message }))
        : records.map((record) => failed(record, 'batch_rejected', `${message}; not attributable to one record`))
    case 'rate_limited':
    case 'retryable':
      return records.map((record) =>
        failed(record, failureOf(errorClass), message, refusalDelayMs(response, errorClass === 'rate_limited')),
      )
  }
}

/**
 * An answer below 400 that is not the endpoint's documented success (the caller checked that
 * first): a 2xx of another shape, or a redirect. No error table explains it, so the records'
 * fate is unknown.
 */
function isUnexpected(response: HttpResponse): boolean {
  return response.status < 400
}

function failureOf(errorClass: 'rate_limited' | 'retryable'): FailureCode {
  return errorClass === 'rate_limited' ? 'rate_limited' : 'vendor_error'
}

function readAnswer(errors: VendorErrors, endpoint: string, response: HttpResponse, record?: DeliveryRecord) {
  const { errorClass, code } = errors.classify(response)
  const reason = errors.readMessage(response.body)
  const where = answerPlace(response, endpoint)
  const quoted = record === undefined || reason === undefined ? reason : maskRecordValues(reason, record)
  return { errorClass, code, where, message: quoted === undefined ? `${errors.vendor} answered ${where}` : `${quoted} (${where})` }
}

/** Replaces the record's own string values (its key included) in a vendor message, which may echo them (an email, say). */
export function maskRecordValues(message: string, record: DeliveryRecord): string {
  let masked = message
  for (const value of [record.key, ...Object.values(record.fields)]) {
    if (typeof value === 'string' && value.length >= 3) masked = masked.split(value).join('<value>')
  }
  return masked
}
