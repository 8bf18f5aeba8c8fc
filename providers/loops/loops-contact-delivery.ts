import type { DeliveryRecord, RecordResult, RequestGate } from '../../src/destinations/destination.js'
import { OutflowError } from '../../src/errors.js'
import type { SyncOptions } from '../../src/model/spec-types.js'
import { createContact, deleteContact, sendEvent, updateContact, type LoopsClientConfig } from './loops-client.js'
import { isExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { recordFailure } from '../../src/destinations/vendor-outcome.js'
import { LOOPS_ANSWERS } from './loops-answers.js'
import { exchangeFor, isRecordResult, loopsErrors } from './loops-outcome.js'
import { assembleContactBody, deleteIdentifier, loopsIdempotencyKey, readIdentifiers, type LoopsContactBody } from './loops-payload.js'

/** What delivering one contact needs. */
export interface LoopsContactDelivery {
  /** The destination's name, for messages. */
  destination: string
  client: LoopsClientConfig
  gate: RequestGate
  options: SyncOptions
  keyField: string | undefined
  /**
   * Records this connector created whose delivery then failed (a trigger event refused, say), by
   * `sync` and key. When the engine retries one, its create answers 409; this set is how the retry
   * still reports `created: true`, sends the `create` event and keeps the contact deletable by mirror.
   */
  createdPending: Set<string>
  sync: string
}

/** Writes one contact (upsert) or removes it (mirror), returning its result. */
export function deliverContact(delivery: LoopsContactDelivery, record: DeliveryRecord): Promise<RecordResult> {
  switch (record.op) {
    case 'upsert':
      return upsertContact(delivery, record)
    case 'delete':
      return removeContact(delivery, record)
    case 'send':
      throw new OutflowError(
        'DESTINATION_REQUEST_INVALID',
        `destination "${delivery.destination}": Loops contacts cannot be sent as events`,
      )
  }
}

async function upsertContact(delivery: LoopsContactDelivery, record: DeliveryRecord): Promise<RecordResult> {
  const pendingKey = `${delivery.sync}\u0000${record.key}`
  const written = await writeContact(delivery, record, assembleContactBody(record.fields, delivery.options), pendingKey)
  if ('key' in written) return written
  const eventFailure = await sendTriggerEvent(delivery, record, written.created === true)
  if (eventFailure !== undefined) return eventFailure
  delivery.createdPending.delete(pendingKey)
  return written.created === undefined
    ? { key: record.key, status: 'accepted' }
    : { key: record.key, status: 'accepted', created: written.created }
}

/**
 * Creates the contact when it may be new, so that Loops says whether this sync created it (mirror
 * deletes only those); 409 means it exists, and the update below writes it. A record sent before
 * (`changed`) skips the create: its contact exists, so the create would only cost a request and a
 * 409. Its `created` stays unknown, which keeps what the first delivery reported. A record with no
 * email goes straight to the update, since Loops creates contacts only with one (section 1.5).
 */
async function writeContact(
  delivery: LoopsContactDelivery,
  record: DeliveryRecord,
  body: LoopsContactBody,
  pendingKey: string,
): Promise<RecordResult | { created: boolean | undefined }> {
  if (typeof body['email'] === 'string' && record.change !== 'changed') {
    const created = await exchangeFor(record, () => createContact(delivery.client, delivery.gate, body))
    if (isRecordResult(created)) return created
    if (isExpectedAnswer(LOOPS_ANSWERS.createContact, created)) {
      delivery.createdPending.add(pendingKey)
      return { created: true }
    }
    if (created.status !== 409) return recordFailure(loopsErrors, delivery.destination, record, LOOPS_ANSWERS.createContact, created)
  }
  const updated = await exchangeFor(record, () => updateContact(delivery.client, delivery.gate, body))
  if (isRecordResult(updated)) return updated
  if (!isExpectedAnswer(LOOPS_ANSWERS.updateContact, updated))
    return recordFailure(loopsErrors, delivery.destination, record, LOOPS_ANSWERS.updateContact, updated)
  if (delivery.createdPending.has(pendingKey)) return { created: true }
  return { created: record.change === 'changed' ? undefined : false }
}

/**
 * Sends `options.triggerEvent` when the write matches its `on`, with the record's idempotency key,
 * so a retried record never starts a workflow twice. Returns the record's failure, if any.
 */
async function sendTriggerEvent(
  delivery: LoopsContactDelivery,
  record: DeliveryRecord,
  created: boolean,
): Promise<RecordResult | undefined> {
  const trigger = delivery.options.triggerEvent
  if (trigger === undefined || !trigger.on.includes(created ? 'create' : 'update')) return undefined
  const body = { eventName: trigger.name, ...readIdentifiers(record.fields) }
  const key = loopsIdempotencyKey(record.idempotencyKey)
  const sent = await exchangeFor(record, () => sendEvent(delivery.client, delivery.gate, body, key))
  if (isRecordResult(sent)) return sent
  // 409: the key was used within 24 hours, so this very event was sent already (section 1.6).
  if (isExpectedAnswer(LOOPS_ANSWERS.sendEvent, sent) || sent.status === 409) return undefined
  return recordFailure(loopsErrors, delivery.destination, record, LOOPS_ANSWERS.sendEvent, sent)
}

/**
 * Mirror removes only contacts this sync created: one that was in Loops before the sync stays,
 * with its history and unsubscribe status (Loops advises keeping contacts; section 1.4).
 */
async function removeContact(delivery: LoopsContactDelivery, record: DeliveryRecord): Promise<RecordResult> {
  if (record.createdBySync !== true) return { key: record.key, status: 'accepted' }
  const identifier = deleteIdentifier(delivery.keyField, record)
  const deleted = await exchangeFor(record, () => deleteContact(delivery.client, delivery.gate, identifier))
  if (isRecordResult(deleted)) return deleted
  // 404: the contact is already gone, which is what the delete wants.
  if (isExpectedAnswer(LOOPS_ANSWERS.deleteContact, deleted) || deleted.status === 404) return { key: record.key, status: 'accepted' }
  return recordFailure(loopsErrors, delivery.destination, record, LOOPS_ANSWERS.deleteContact, deleted)
}
