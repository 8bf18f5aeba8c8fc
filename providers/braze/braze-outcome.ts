import type { DeliveryRecord, RecordResult } from '../../src/destinations/destination.js'
import { retryAfterMs, type HttpResponse } from '../../src/destinations/http.js'
import { isOutflowError, OutflowError } from '../../src/errors.js'
import { BRAZE_ENDPOINT_PERMISSIONS, classifyBrazeResponse, readBrazeMessage } from './braze-errors.js'

/** An answer to read, or the message of a request that got none. */
export type BrazeExchange = HttpResponse | { network: string }

/** Who is delivering, for messages. */
export interface BrazeOutcomeContext {
  destination: string
  sync: string
}

/** True for a 2xx answer. */
export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300
}

/** Sends one request; one that got no answer (refused, reset, timed out) comes back as `{ network }`. */
export async function exchange(call: () => Promise<HttpResponse>): Promise<BrazeExchange> {
  try {
    return await call()
  } catch (error) {
    if (!isOutflowError(error) || error.code !== 'DESTINATION_UNAVAILABLE') throw error
    return { network: error.message }
  }
}

/** Every record `failed` with code `network`: the request may or may not have reached Braze. */
export function networkFailures(records: readonly DeliveryRecord[], message: string): RecordResult[] {
  return records.map((record) => ({ key: record.key, status: 'failed', code: 'network', message }))
}

/**
 * The results of records whose whole request Braze did not accept, by the error table. Refused
 * credentials and requests wrong for every record throw: the run must stop. A refused body of one
 * record rejects it; of several it cannot be pinned on one, so each fails with `batch_rejected`
 * for the engine to split the batch.
 */
export function requestFailures(
  context: BrazeOutcomeContext,
  records: readonly DeliveryRecord[],
  endpoint: string,
  response: HttpResponse,
): RecordResult[] {
  const { errorClass, code } = classifyBrazeResponse(response)
  const reason = readBrazeMessage(response.body)
  const where = `HTTP ${response.status}, ${endpoint}`
  const message = reason === undefined ? `Braze answered ${where}` : `${reason} (${where})`
  switch (errorClass) {
    case 'auth':
      throw new OutflowError('DESTINATION_AUTH', authMessage(context.destination, code, endpoint, where))
    case 'fatal':
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${context.destination}", sync "${context.sync}": ${message}`)
    case 'record':
      return records.length === 1
        ? records.map((record) => ({ key: record.key, status: 'rejected', code, message }))
        : failAll(records, 'batch_rejected', `${message}; not attributable to one record`, undefined)
    case 'rate_limited':
      return failAll(records, code, message, retryAfterMs(response.headers))
    case 'retryable':
      // Braze sends `x-ratelimit-reset` on every answer; only an explicit Retry-After applies to a 5xx.
      return failAll(records, code, message, explicitRetryAfter(response))
  }
}

/** The message of a refused key; for `Access Denied`, names the permission the endpoint needs. */
export function authMessage(destination: string, code: string, endpoint: string, where: string): string {
  const permission = BRAZE_ENDPOINT_PERMISSIONS[endpoint]
  if (code === 'permission' && permission !== undefined) {
    return `destination "${destination}": the Braze API key lacks the ${permission} permission (${where}); a key's permissions cannot be changed after it is created, so create one that has it`
  }
  return `destination "${destination}": Braze refused the API key (${where}); check the key and that restEndpoint is the key's instance`
}

function explicitRetryAfter(response: HttpResponse): number | undefined {
  const header = response.headers['retry-after']
  return header === undefined ? undefined : retryAfterMs({ 'retry-after': header })
}

function failAll(records: readonly DeliveryRecord[], code: string, message: string, delayMs: number | undefined): RecordResult[] {
  return records.map((record) => ({
    key: record.key,
    status: 'failed',
    code,
    message,
    ...(delayMs === undefined ? {} : { retryAfterMs: delayMs }),
  }))
}
