import { isOutflowError } from '../errors.js'
import type { CheckResult, RequestGate } from './destination.js'

/** The gate for calls made outside a run (a "Test connection" button, a preview): it lets every request through. */
export const OPEN_GATE: RequestGate = { acquire: () => Promise.resolve() }

/**
 * Turns a failure to make a check call into its result: a missing credential is the user's to
 * fix (reported as DESTINATION_AUTH), no response is DESTINATION_UNAVAILABLE. Anything else is a
 * bug and is rethrown.
 */
export function checkCallFailure(error: unknown, destination: string): CheckResult {
  if (!isOutflowError(error) || (error.code !== 'DESTINATION_UNAVAILABLE' && error.code !== 'CREDENTIAL_MISSING')) throw error
  if (error.code === 'CREDENTIAL_MISSING') return { ok: false, code: 'DESTINATION_AUTH', message: error.message }
  return { ok: false, code: 'DESTINATION_UNAVAILABLE', message: `destination "${destination}": ${error.message}` }
}
