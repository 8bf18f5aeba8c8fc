import type { DeliveryRecord, RecordResult } from '../../src/destinations/destination.js'
import { retryAfterMs, type HttpResponse } from '../../src/destinations/http.js'
import { isOutflowError, OutflowError } from '../../src/errors.js'
import { classifyLoopsResponse, readLoopsMessage } from './loops-errors.js'

/** An answer to read, or the result already decided (no answer came). */
export type LoopsExchange = HttpResponse | RecordResult

/** True when the exchange ended in a result rather than an answer. */
export function isRecordResult(exchange: LoopsExchange): exchange is RecordResult {
  return typeof exchange.status === 'string'
}

/** True for a 2xx answer. */
export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300
}

/**
 * Sends one request for a record. A request that got no answer (refused, reset, timed out) is the
 * record's `failed` result with code `network`; every answer is returned for the caller to read.
 */
export async function exchangeFor(record: DeliveryRecord, call: () => Promise<HttpResponse>): Promise<LoopsExchange> {
  try {
    return await call()
  } catch (error) {
    if (!isOutflowError(error) || error.code !== 'DESTINATION_UNAVAILABLE') throw error
    return { key: record.key, status: 'failed', code: 'network', message: error.message }
  }
}

/**
 * The result of a record whose request Loops did not accept, by the error table. Refused
 * credentials and requests wrong for every record throw instead: the run must stop. Messages
 * quote Loops' reason with the record's own values masked, and name the endpoint.
 */
export function loopsFailure(destination: string, record: DeliveryRecord, endpoint: string, response: HttpResponse): RecordResult {
  const { errorClass, code } = classifyLoopsResponse(response)
  const reason = maskValues(readLoopsMessage(response.body), record)
  const where = `HTTP ${response.status}, ${endpoint}`
  const message = reason === undefined ? `Loops answered ${where}` : `${reason} (${where})`
  switch (errorClass) {
    case 'auth':
      throw new OutflowError('DESTINATION_AUTH', `destination "${destination}": Loops refused the API key (${where})`)
    case 'fatal':
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${destination}": ${message}; check its baseUrl`)
    case 'record':
      return { key: record.key, status: 'rejected', code, message }
    case 'rate_limited':
    case 'retryable':
      return withRetryAfter({ key: record.key, status: 'failed', code, message }, retryAfterMs(response.headers))
  }
}

function withRetryAfter(result: RecordResult & { status: 'failed' }, delayMs: number | undefined): RecordResult {
  return delayMs === undefined ? result : { ...result, retryAfterMs: delayMs }
}

/** Replaces the record's own string values in a vendor message, which may echo them (an email, say). */
function maskValues(message: string | undefined, record: DeliveryRecord): string | undefined {
  if (message === undefined) return undefined
  let masked = message
  for (const value of Object.values(record.fields)) {
    if (typeof value === 'string' && value.length >= 3) masked = masked.split(value).join('<value>')
  }
  return masked
}
