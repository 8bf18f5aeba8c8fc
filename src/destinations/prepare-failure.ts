import { OutflowError } from '../errors.js'
import { describeUnexpectedAnswer, type ExpectedAnswer } from './expected-answer.js'
import { answerPlace, type HttpResponse } from './http.js'
import type { VendorErrors } from './vendor-outcome.js'

/**
 * The error for a preparation call (creating a Loops property, a Courier list) that did not get
 * its documented success answer, by the vendor's error table: retryable where the table says
 * so; an unexpected answer is retryable too, since preparing is idempotent.
 */
export function prepareFailure(errors: VendorErrors, destination: string, expected: ExpectedAnswer, response: HttpResponse): OutflowError {
  const { endpoint } = expected
  if (response.status < 400) {
    const message = `destination "${destination}": ${describeUnexpectedAnswer(errors.vendor, expected, response)}`
    return new OutflowError('DESTINATION_UNAVAILABLE', message, { retryable: true })
  }
  const { errorClass, code } = errors.classify(response)
  const reason = errors.readMessage(response.body)
  const where = answerPlace(response, endpoint)
  const message = `destination "${destination}": ${errors.vendor} answered ${where}${reason === undefined ? '' : `: ${reason}`}`
  if (errorClass === 'auth') return new OutflowError('DESTINATION_AUTH', errors.authMessage(destination, code, endpoint, where))
  if (errorClass === 'rate_limited') return new OutflowError('DESTINATION_RATE_LIMITED', message, { retryable: true })
  if (errorClass === 'retryable') return new OutflowError('DESTINATION_UNAVAILABLE', message, { retryable: true })
  return new OutflowError('DESTINATION_REQUEST_INVALID', message)
}
