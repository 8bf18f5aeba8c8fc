import type { DeliveryBatch, DeliveryRecord, RecordResult, RequestGate } from '../../src/destinations/destination.js'
import { deleteUsers, trackUsers, type BrazeClientConfig } from './braze-client.js'
import { BRAZE_DELETE_IDS_PER_REQUEST } from './braze-limits.js'
import { isExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { batchFailures, exchange, noAnswer, type DeliveryContext } from '../../src/destinations/vendor-outcome.js'
import { BRAZE_ANSWERS } from './braze-answers.js'
import { brazeErrors } from './braze-outcome.js'
import { assembleAttributes, assembleEvent, externalIdOf, type BrazeTrackObject } from './braze-payload.js'
import { hasObjectErrors, trackResults, type BrazeTrackArray } from './braze-track-results.js'

/** What a delivery needs: who is delivering, the client, and the gate. */
export interface BrazeDelivery extends DeliveryContext {
  client: BrazeClientConfig
  gate: RequestGate
}

/**
 * Users: upserts in one `/users/track` request (a batch holds at most 75), then mirror deletes in
 * `/users/delete` requests of 50 `external_ids`. Results come back in the batch's order.
 */
export async function deliverUsers(delivery: BrazeDelivery, batch: DeliveryBatch): Promise<RecordResult[]> {
  const upserts = batch.records.filter((record) => record.op !== 'delete')
  const deletes = batch.records.filter((record) => record.op === 'delete')
  if (deletes.length === 0) {
    // The common batch, all upserts: the request's results are already in the batch's order.
    const objects = upserts.map((record) => assembleAttributes(record, batch.keyField, batch.behavior))
    return track(delivery, upserts, 'attributes', objects, true)
  }
  const results = new Map<DeliveryRecord, RecordResult>()
  if (upserts.length > 0) {
    const objects = upserts.map((record) => assembleAttributes(record, batch.keyField, batch.behavior))
    collect(results, upserts, await track(delivery, upserts, 'attributes', objects, true))
  }
  for (let start = 0; start < deletes.length; start += BRAZE_DELETE_IDS_PER_REQUEST) {
    const chunk = deletes.slice(start, start + BRAZE_DELETE_IDS_PER_REQUEST)
    collect(results, chunk, await remove(delivery, chunk, batch.keyField))
  }
  return batch.records.map((record) => results.get(record) ?? unreachable(record))
}

/**
 * Events, in one `/users/track` request. Braze stores every event object it gets (section 2.3), and
 * has no idempotency key, so a key that occurs twice in the batch is sent once and both records
 * get its result; across calls, sending each row once is the engine's job.
 */
export async function deliverEvents(delivery: BrazeDelivery, batch: DeliveryBatch): Promise<RecordResult[]> {
  const deliveredAt = new Date()
  const first = new Map<string, DeliveryRecord>()
  for (const record of batch.records) if (!first.has(record.key)) first.set(record.key, record)
  const unique = [...first.values()]
  const sent = await track(
    delivery,
    unique,
    'events',
    unique.map((record) => assembleEvent(record, deliveredAt)),
    false,
  )
  const byKey = new Map(unique.map((record, index) => [record.key, sent[index]]))
  return batch.records.map((record) => byKey.get(record.key) ?? unreachable(record))
}

async function track(
  delivery: BrazeDelivery,
  records: readonly DeliveryRecord[],
  array: BrazeTrackArray,
  objects: BrazeTrackObject[],
  idempotent: boolean,
): Promise<RecordResult[]> {
  const answer = await exchange(() => trackUsers(delivery.client, delivery.gate, { [array]: objects }))
  if ('network' in answer) return records.map((record) => noAnswer(record, answer))
  if (isExpectedAnswer(BRAZE_ANSWERS.track, answer) || (answer.status === 400 && hasObjectErrors(answer)))
    return trackResults(records, array, answer, idempotent)
  return batchFailures(brazeErrors, delivery, records, BRAZE_ANSWERS.track, answer)
}

/** `deleted` counts users queued for deletion, not found (section 2.4): a 2xx accepts every id sent. */
async function remove(delivery: BrazeDelivery, records: readonly DeliveryRecord[], keyField: string | undefined): Promise<RecordResult[]> {
  const ids = records.map((record) => externalIdOf(record, keyField))
  const answer = await exchange(() => deleteUsers(delivery.client, delivery.gate, ids))
  if ('network' in answer) return records.map((record) => noAnswer(record, answer))
  if (isExpectedAnswer(BRAZE_ANSWERS.deleteUsers, answer)) return records.map((record) => ({ key: record.key, status: 'accepted' }))
  return batchFailures(brazeErrors, delivery, records, BRAZE_ANSWERS.deleteUsers, answer)
}

function collect(results: Map<DeliveryRecord, RecordResult>, records: readonly DeliveryRecord[], outcome: readonly RecordResult[]): void {
  records.forEach((record, index) => {
    const result = outcome[index]
    if (result !== undefined) results.set(record, result)
  })
}

function unreachable(record: DeliveryRecord): RecordResult {
  return { key: record.key, status: 'failed', code: 'no_result', message: 'no result was produced for the record' }
}
