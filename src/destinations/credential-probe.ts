import type { CheckResult } from './destination.js'
import { checkCallFailure } from './connector-support.js'
import { describeUnexpectedAnswer, isExpectedAnswer, type ExpectedAnswer } from './expected-answer.js'
import { answerPlace, type HttpResponse } from './http.js'
import type { VendorErrors } from './vendor-outcome.js'

/** A credentials check: the vendor's cheapest authenticated call and how its answer reads. */
export interface CredentialProbe {
  /** The destination's name, for messages. */
  destination: string
  errors: VendorErrors
  /** The probe's documented success answer: a proxy's 200 page passes no check. */
  answer: ExpectedAnswer
  send(): Promise<HttpResponse>
  /** What a passing check says, from the success body (a team name, a count). */
  detail(body: unknown): string
}

/**
 * Runs a credentials check, as a "Test connection" button does: ok only on the endpoint's
 * documented success answer (status and body); refused credentials are `DESTINATION_AUTH`;
 * anything else, an unexpected answer included, is `DESTINATION_UNAVAILABLE` with the reason.
 */
export async function probeCredentials(probe: CredentialProbe): Promise<CheckResult> {
  const { destination, errors, answer } = probe
  let response: HttpResponse
  try {
    response = await probe.send()
  } catch (error) {
    return checkCallFailure(error, destination)
  }
  if (isExpectedAnswer(answer, response)) return { ok: true, detail: probe.detail(response.body) }
  const where = answerPlace(response, answer.endpoint)
  if (response.status >= 400) {
    const { errorClass, code } = errors.classify(response)
    if (errorClass === 'auth')
      return { ok: false, code: 'DESTINATION_AUTH', message: errors.authMessage(destination, code, answer.endpoint, where) }
    return { ok: false, code: 'DESTINATION_UNAVAILABLE', message: `destination "${destination}": ${errors.vendor} answered ${where}` }
  }
  return {
    ok: false,
    code: 'DESTINATION_UNAVAILABLE',
    message: `destination "${destination}": ${describeUnexpectedAnswer(errors.vendor, answer, response)}`,
  }
}
