import type { DeliveryRecord, RecordResult } from '../../src/destinations/destination.js'
import { retryAfterMs, type HttpResponse } from '../../src/destinations/http.js'
import { isOutflowError, OutflowError } from '../../src/errors.js'
import { classifyCourierResponse, readCourierMessage } from './courier-errors.js'

/** An answer to read, or the failure already decided (no answer came). */
export type CourierExchange = HttpResponse | { network: string }

/** True for a 2xx answer. */
export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300
}

/**
 * Sends one request. A request that got no answer (refused, reset, timed out) comes back as
 * `{ network: message }`, which {@link networkFailure} turns into a record's `failed` result.
 */
export async function exchange(call: () => Promise<HttpResponse>): Promise<CourierExchange> {
  try {
    return await call()
  } catch (error) {
    if (!isOutflowError(error) || error.code !== 'DESTINATION_UNAVAILABLE') throw error
    return { network: error.message }
  }
}

/** The `failed` result of a record whose request got no answer. */
export function networkFailure(record: DeliveryRecord, message: string): RecordResult {
  return { key: record.key, status: 'failed', code: 'network', message }
}

/**
 * The result of a record whose request Courier did not accept, by the error table. Refused
 * credentials and requests wrong for every record throw instead: the run must stop. Messages
 * quote Courier's reason with the record's own values masked, and name the endpoint.
 */
export function courierFailure(destination: string, record: DeliveryRecord, endpoint: string, response: HttpResponse): RecordResult {
  const { errorClass, code } = classifyCourierResponse(response)
  const reason = maskValues(readCourierMessage(response.body), record)
  const where = `HTTP ${response.status}, ${endpoint}`
  const message = reason === undefined ? `Courier answered ${where}` : `${reason} (${where})`
  switch (errorClass) {
    case 'auth':
      throw new OutflowError('DESTINATION_AUTH', `destination "${destination}": Courier refused the auth token (${where})`)
    case 'fatal':
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${destination}": ${message}; check its baseUrl`)
    case 'record':
      return { key: record.key, status: 'rejected', code, message }
    case 'rate_limited':
    case 'retryable': {
      const delayMs = retryAfterMs(response.headers)
      return { key: record.key, status: 'failed', code, message, ...(delayMs === undefined ? {} : { retryAfterMs: delayMs }) }
    }
  }
}

/** Replaces the record's own string values in a vendor message, which may echo them. */
function maskValues(message: string | undefined, record: DeliveryRecord): string | undefined {
  if (message === undefined) return undefined
  let masked = message
  for (const value of [record.key, ...Object.values(record.fields)]) {
    if (typeof value === 'string' && value.length >= 3) masked = masked.split(value).join('<value>')
  }
  return masked
}
