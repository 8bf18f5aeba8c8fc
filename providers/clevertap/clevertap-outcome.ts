import type { DeliveryRecord, RecordResult } from '../../src/destinations/destination.js'
import { retryAfterMs, type HttpResponse } from '../../src/destinations/http.js'
import { isOutflowError, OutflowError } from '../../src/errors.js'
import { classifyCleverTapResponse, readCleverTapMessage } from './clevertap-errors.js'

/** An answer to read, or the message of a request that got none. */
export type CleverTapExchange = HttpResponse | { network: string }

/** Who is delivering, for messages. */
export interface CleverTapOutcomeContext {
  destination: string
  sync: string
}

/** Sends one request; one that got no answer (refused, reset, timed out) comes back as `{ network }`. */
export async function exchange(call: () => Promise<HttpResponse>): Promise<CleverTapExchange> {
  try {
    return await call()
  } catch (error) {
    if (!isOutflowError(error) || error.code !== 'DESTINATION_UNAVAILABLE') throw error
    return { network: error.message }
  }
}

/** The message of refused credentials; the passcode is never quoted. */
export function authMessage(destination: string, where: string): string {
  return `destination "${destination}": CleverTap refused the account id or passcode (${where}); check them and the region`
}

/**
 * The results of records whose upload CleverTap did not accept, by the error table. Refused
 * credentials and uploads wrong for every record throw: the run must stop. A refused body of one
 * record rejects it; of several it cannot be pinned on one, so each fails with `batch_rejected`
 * for the engine to split the batch.
 */
export function uploadFailures(
  context: CleverTapOutcomeContext,
  records: readonly DeliveryRecord[],
  endpoint: string,
  response: HttpResponse,
): RecordResult[] {
  const { errorClass, code } = classifyCleverTapResponse(response)
  const reason = readCleverTapMessage(response.body)
  const where = `HTTP ${response.status}, ${endpoint}`
  const message = reason === undefined ? `CleverTap answered ${where}` : `${reason} (${where})`
  switch (errorClass) {
    case 'auth':
      throw new OutflowError('DESTINATION_AUTH', authMessage(context.destination, where))
    case 'fatal':
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${context.destination}", sync "${context.sync}": ${message}`)
    case 'record':
      return records.length === 1
        ? records.map((record) => ({ key: record.key, status: 'rejected', code, message }))
        : failAll(records, 'batch_rejected', `${message}; not attributable to one record`, undefined)
    case 'rate_limited':
    case 'retryable':
      return failAll(records, code, message, retryAfterMs(response.headers))
  }
}

/** Every record `failed`, with the delay CleverTap asked for when it sent one. */
export function failAll(records: readonly DeliveryRecord[], code: string, message: string, delayMs: number | undefined): RecordResult[] {
  return records.map((record) => ({
    key: record.key,
    status: 'failed',
    code,
    message,
    ...(delayMs === undefined ? {} : { retryAfterMs: delayMs }),
  }))
}
