import type { DeliveryRecord, RecordResult, RequestGate } from '../../src/destinations/destination.js'
import { OutflowError } from '../../src/errors.js'
import { addSubscribers, mergeProfile, removeSubscriber, type CourierClientConfig } from './courier-client.js'
import type { InFlightLimit } from './courier-in-flight-limit.js'
import { isExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { exchange, noAnswer, recordFailure, type VendorExchange } from '../../src/destinations/vendor-outcome.js'
import { COURIER_ANSWERS } from './courier-answers.js'
import { courierErrors } from './courier-outcome.js'
import { assembleProfileBody, readRecipientId } from './courier-payload.js'

/** What delivering a batch of profiles needs. */
export interface CourierProfileDelivery {
  /** The destination's name, for messages. */
  destination: string
  client: CourierClientConfig
  gate: RequestGate
  inFlight: InFlightLimit
  /** `profileWithList`: the list whose members the sync manages. */
  listId: string | undefined
}

/**
 * Delivers a batch: each profile merged (or, with a list, each removal unsubscribed) through the
 * connector's in-flight cap; then, with a list, every merged profile subscribed in one bulk call.
 */
export async function deliverProfiles(delivery: CourierProfileDelivery, records: readonly DeliveryRecord[]): Promise<RecordResult[]> {
  const results = await delivery.inFlight.map(records, (record) => deliverRecord(delivery, record))
  return delivery.listId === undefined ? results : subscribeMerged(delivery, delivery.listId, records, results)
}

function deliverRecord(delivery: CourierProfileDelivery, record: DeliveryRecord): Promise<RecordResult> {
  if (record.op === 'upsert') return mergeRecord(delivery, record)
  if (record.op === 'delete' && delivery.listId !== undefined) return unsubscribeRecord(delivery, delivery.listId, record)
  throw new OutflowError(
    'DESTINATION_REQUEST_INVALID',
    `destination "${delivery.destination}": Courier profiles take no ${record.op} records`,
  )
}

/** `POST /profiles/{id}` merges: keys set elsewhere (provider tokens, preferences) stay. */
async function mergeRecord(delivery: CourierProfileDelivery, record: DeliveryRecord): Promise<RecordResult> {
  const answer = await exchange(() =>
    mergeProfile(delivery.client, delivery.gate, readRecipientId(record), assembleProfileBody(record.fields)),
  )
  if ('network' in answer) return noAnswer(record, answer)
  if (isExpectedAnswer(COURIER_ANSWERS.mergeProfile, answer)) return { key: record.key, status: 'accepted' }
  return recordFailure(courierErrors, delivery.destination, record, COURIER_ANSWERS.mergeProfile, answer)
}

/**
 * Mirror unsubscribes a member gone from the model; the profile itself stays (it may be used by
 * other lists and sends). 404: not a member any more, which is what the removal wants.
 */
async function unsubscribeRecord(delivery: CourierProfileDelivery, listId: string, record: DeliveryRecord): Promise<RecordResult> {
  const answer = await exchange(() => removeSubscriber(delivery.client, delivery.gate, listId, readRecipientId(record)))
  if ('network' in answer) return noAnswer(record, answer)
  if (isExpectedAnswer(COURIER_ANSWERS.removeSubscriber, answer) || answer.status === 404) return { key: record.key, status: 'accepted' }
  return recordFailure(courierErrors, delivery.destination, record, COURIER_ANSWERS.removeSubscriber, answer)
}

/**
 * Subscribes every record whose merge was accepted, in one `POST /lists/{id}/subscriptions`
 * (existing members stay). A record is accepted only when both its merge and this call succeed.
 */
async function subscribeMerged(
  delivery: CourierProfileDelivery,
  listId: string,
  records: readonly DeliveryRecord[],
  results: readonly RecordResult[],
): Promise<RecordResult[]> {
  const merged = records.filter((record, i) => record.op === 'upsert' && results[i]?.status === 'accepted')
  if (merged.length === 0) return [...results]
  const recipientIds = [...new Set(merged.map(readRecipientId))]
  const answer = await exchange(() => addSubscribers(delivery.client, delivery.gate, listId, recipientIds))
  if (!('network' in answer) && isExpectedAnswer(COURIER_ANSWERS.addSubscribers, answer)) return [...results]
  const failed = new Map(merged.map((record) => [record, subscribeFailure(delivery, record, answer, recipientIds.length)]))
  return results.map((result, i) => {
    const record = records[i]
    return (record === undefined ? undefined : failed.get(record)) ?? result
  })
}

/**
 * One record's share of a failed bulk subscribe. A refusal of a single-member call is that
 * record's; a refusal of a larger one cannot be pinned on a record, so every record fails with
 * `batch_rejected` and a smaller batch will tell which one it was.
 */
function subscribeFailure(delivery: CourierProfileDelivery, record: DeliveryRecord, answer: VendorExchange, members: number): RecordResult {
  if ('network' in answer) return noAnswer(record, answer)
  const result = recordFailure(courierErrors, delivery.destination, record, COURIER_ANSWERS.addSubscribers, answer)
  if (result.status !== 'rejected' || members === 1) return result
  return { key: record.key, status: 'failed', code: 'batch_rejected', message: `${result.message}; refused for a batch of ${members}` }
}
