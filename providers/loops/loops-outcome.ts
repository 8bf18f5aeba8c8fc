import type { DeliveryRecord, RecordResult } from '../../src/destinations/destination.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { exchange, noAnswer, type VendorErrors } from '../../src/destinations/vendor-outcome.js'
import { classifyLoopsResponse, readLoopsMessage } from './loops-errors.js'

/** How Loops' answers read (vendor-outcome.ts turns them into results). */
export const loopsErrors: VendorErrors = {
  vendor: 'Loops',
  classify: classifyLoopsResponse,
  readMessage: readLoopsMessage,
  authMessage: (destination, _code, _endpoint, where) => `destination "${destination}": Loops refused the API key (${where})`,
}

/** An answer to read, or the result already decided (no answer came). */
export type LoopsExchange = HttpResponse | RecordResult

/** True when the exchange ended in a result rather than an answer. */
export function isRecordResult(exchange: LoopsExchange): exchange is RecordResult {
  return typeof exchange.status === 'string'
}

/**
 * Sends one request for a record. A request that got no answer (refused, reset, timed out) is the
 * record's `failed` result (`network`, or `not_sent` when it never left); every answer is returned for the caller to read.
 */
export async function exchangeFor(record: DeliveryRecord, call: () => Promise<HttpResponse>): Promise<LoopsExchange> {
  const answer = await exchange(call)
  return 'network' in answer ? noAnswer(record, answer) : answer
}
