import type { Behavior } from '../../src/model/behavior.js'
import type { DeliveryRecord, FieldValue } from '../../src/destinations/destination.js'

/** A value as Braze reads it: dates are already ISO 8601 strings. */
export type BrazeValue = string | number | boolean | null

/** A user attributes object or an event object of `/users/track`. */
export type BrazeTrackObject = Record<string, BrazeValue | Readonly<Record<string, BrazeValue>>>

/** The body of `POST /users/track`; a batch fills one of the arrays. */
export interface BrazeTrackBody {
  attributes?: BrazeTrackObject[]
  events?: BrazeTrackObject[]
}

/** The user's id: the key field's value, else the sync key itself. */
export function externalIdOf(record: DeliveryRecord, keyField: string | undefined): string {
  const value = keyField === undefined ? undefined : record.fields[keyField]
  return value === undefined || value === null ? record.key : String(value)
}

/**
 * A user attributes object (reference/destinations.md section 2.3): `external_id`, then every
 * mapped field. `null` is sent, as Braze removes the attribute for it. `update` sets
 * `_update_existing_only`, so Braze drops the object for an unknown user instead of creating one;
 * for `external_id` the flag defaults to false, so upserts leave it out.
 */
export function assembleAttributes(record: DeliveryRecord, keyField: string | undefined, behavior: Behavior): BrazeTrackObject {
  const object: BrazeTrackObject = { external_id: externalIdOf(record, keyField) }
  const { fields } = record
  // A loop over the keys, not Object.entries: this runs once per row, a million times in a large first sync.
  for (const field in fields) {
    if (field === keyField || field === 'external_id') continue
    const value = fields[field] as FieldValue
    object[field] = value instanceof Date ? toBrazeValue(field, value) : value
  }
  if (behavior === 'update') object['_update_existing_only'] = true
  return object
}

/** Event fields that sit on the event object itself; every other field is a property. */
const EVENT_OBJECT_FIELDS = new Set(['external_id', 'email', 'name', 'time', 'app_id'])

/**
 * An event object (section 2.3): the user by `external_id`, else by `email`; `name`; `time`, the
 * mapped one or `deliveredAt`; `app_id` when mapped; the other fields as `properties`.
 */
export function assembleEvent(record: DeliveryRecord, deliveredAt: Date): BrazeTrackObject {
  const { fields } = record
  const externalId = fields['external_id']
  const identifier =
    externalId === undefined || externalId === null || externalId === ''
      ? { email: wire(fields['email']) }
      : { external_id: wire(externalId) }
  const time = fields['time'] instanceof Date ? fields['time'] : deliveredAt
  const properties: Record<string, BrazeValue> = {}
  for (const [field, value] of Object.entries(fields)) {
    if (!EVENT_OBJECT_FIELDS.has(field)) properties[field] = toBrazeValue(field, value)
  }
  const appId = fields['app_id'] === undefined ? {} : { app_id: wire(fields['app_id']) }
  return { ...identifier, name: wire(fields['name']), time: time.toISOString(), ...appId, properties }
}

/**
 * A field value in Braze's wire format. Dates are ISO 8601 timestamps, which Braze reads for
 * attributes and properties alike, except `dob`, which Braze takes as `YYYY-MM-DD` (user
 * attributes object; section 2.3).
 */
export function toBrazeValue(field: string, value: FieldValue): BrazeValue {
  if (!(value instanceof Date)) return value
  const iso = value.toISOString()
  return field === 'dob' ? iso.slice(0, 10) : iso
}

function wire(value: FieldValue | undefined): BrazeValue {
  if (value === undefined) return null
  return value instanceof Date ? value.toISOString() : value
}
