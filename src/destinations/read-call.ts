import { isOutflowError, OutflowError } from '../errors.js'
import { describeUnexpectedAnswer, isExpectedAnswer, type ExpectedAnswer } from './expected-answer.js'
import { answerPlace, refusalDelayMs, type HttpResponse } from './http.js'
import type { ReadRetry } from './record-reader.js'
import type { VendorErrors } from './vendor-outcome.js'

/** One read request of a reader, and how its answer reads. */
export interface ReadCall {
  /** The destination's name, for messages. */
  destination: string
  errors: VendorErrors
  /** The endpoint's documented success answer. */
  answer: ExpectedAnswer
  /** Statuses that mean "no such record" at this endpoint (404 for a profile lookup). */
  absent?: readonly number[]
  send(): Promise<HttpResponse>
}

/** A read call's answer: the documented success, or "no such record"; or a passing failure. */
export type ReadAnswer = { ok: true; response: HttpResponse; absent: boolean } | { ok: false; retry: ReadRetry }

/**
 * Makes one read call and reads its answer through the vendor's error table. Reads are safe to
 * repeat, so no answer, a 429 and a 5xx come back as a retry for the engine. Refused credentials
 * throw `DESTINATION_AUTH`; a refused request or an answer that is neither the documented success
 * nor an error throws `DESTINATION_REQUEST_INVALID`: no key could be read that way. Messages name
 * the destination and the endpoint.
 */
export async function callRead(call: ReadCall): Promise<ReadAnswer> {
  const { destination, errors, answer } = call
  let response: HttpResponse
  try {
    response = await call.send()
  } catch (error) {
    if (!isOutflowError(error) || error.code !== 'DESTINATION_UNAVAILABLE') throw error
    return { ok: false, retry: { code: 'network', message: `destination "${destination}": ${error.message}` } }
  }
  if (isExpectedAnswer(answer, response)) return { ok: true, response, absent: false }
  if (call.absent?.includes(response.status) === true) return { ok: true, response, absent: true }
  if (response.status < 400) {
    throw new OutflowError(
      'DESTINATION_REQUEST_INVALID',
      `destination "${destination}": ${describeUnexpectedAnswer(errors.vendor, answer, response)}`,
    )
  }
  return failedRead(call, response)
}

function failedRead(call: ReadCall, response: HttpResponse): ReadAnswer {
  const { destination, errors, answer } = call
  const { errorClass, code } = errors.classify(response)
  const where = answerPlace(response, answer.endpoint)
  const reason = errors.readMessage(response.body)
  const message = `destination "${destination}": ${errors.vendor} answered ${where}${reason === undefined ? '' : `: ${reason}`}`
  switch (errorClass) {
    case 'auth':
      throw new OutflowError('DESTINATION_AUTH', errors.authMessage(destination, code, answer.endpoint, where))
    case 'rate_limited':
      return { ok: false, retry: withDelay({ code: 'rate_limited', message }, refusalDelayMs(response, true)) }
    case 'retryable':
      return { ok: false, retry: withDelay({ code: 'vendor_error', message }, refusalDelayMs(response, false)) }
    case 'record':
    case 'fatal':
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `${message}; check the destination's base URL`)
  }
}

function withDelay(retry: ReadRetry, delayMs: number | undefined): ReadRetry {
  return delayMs === undefined ? retry : { ...retry, retryAfterMs: delayMs }
}
