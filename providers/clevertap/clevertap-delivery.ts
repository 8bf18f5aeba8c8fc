import type { DeliveryBatch, DeliveryRecord, RecordResult, RequestGate } from '../../src/destinations/destination.js'
import { upload, type CleverTapClientConfig } from './clevertap-client.js'
import { isExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { batchFailures, exchange, noAnswer, type DeliveryContext } from '../../src/destinations/vendor-outcome.js'
import { CLEVERTAP_ANSWERS } from './clevertap-answers.js'
import { clevertapErrors } from './clevertap-outcome.js'
import { assembleEvent, assembleProfile, type CleverTapUploadRecord } from './clevertap-payload.js'
import { uploadResults } from './clevertap-upload-results.js'

/** What a delivery needs: who is delivering, the client, and the gate. */
export interface CleverTapDelivery extends DeliveryContext {
  client: CleverTapClientConfig
  gate: RequestGate
}

/** Profiles, in one `/1/upload` (a batch holds at most 1,000 records). Results come back in the batch's order. */
export function deliverProfiles(delivery: CleverTapDelivery, batch: DeliveryBatch): Promise<RecordResult[]> {
  return uploadRecords(
    delivery,
    batch.records,
    batch.records.map((record) => assembleProfile(record, batch.keyField)),
    true,
  )
}

/**
 * Events, in one `/1/upload`. CleverTap keeps every event record it gets and has no idempotency
 * mechanism (section 3.5), so a key that occurs twice in the batch is sent once and both records
 * get its result; across calls, sending each row once is the engine's job.
 */
export async function deliverEvents(delivery: CleverTapDelivery, batch: DeliveryBatch): Promise<RecordResult[]> {
  const deliveredAt = new Date()
  const first = new Map<string, DeliveryRecord>()
  for (const record of batch.records) if (!first.has(record.key)) first.set(record.key, record)
  const unique = [...first.values()]
  const sent = await uploadRecords(
    delivery,
    unique,
    unique.map((record) => assembleEvent(record, deliveredAt)),
    false,
  )
  const byKey = new Map(unique.map((record, index) => [record.key, sent[index]]))
  return batch.records.map(
    (record) => byKey.get(record.key) ?? { key: record.key, status: 'failed', code: 'no_result', message: 'no result was produced' },
  )
}

async function uploadRecords(
  delivery: CleverTapDelivery,
  records: readonly DeliveryRecord[],
  payload: readonly CleverTapUploadRecord[],
  idempotent: boolean,
): Promise<RecordResult[]> {
  const answer = await exchange(() => upload(delivery.client, delivery.gate, payload))
  if ('network' in answer) return records.map((record) => noAnswer(record, answer))
  if (isExpectedAnswer(CLEVERTAP_ANSWERS.upload, answer)) return uploadResults(records, payload, answer, idempotent)
  return batchFailures(clevertapErrors, delivery, records, CLEVERTAP_ANSWERS.upload, answer)
}
