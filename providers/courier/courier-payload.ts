import type { DeliveryRecord, FieldValue } from '../../src/destinations/destination.js'

/** A value as Courier stores it in a profile: JSON, `null` included. */
export type CourierWireValue = string | number | boolean | null

/** The body of `POST /profiles/{user_id}`: keys merged into the stored profile. */
export interface CourierProfileBody {
  profile: Record<string, CourierWireValue>
}

/** The field the sync key maps to: it is the profile's id (in the path), not a profile key. */
export const RECIPIENT_ID_FIELD = 'recipient_id'

/**
 * A typed field value in Courier's wire format. Dates are ISO 8601 timestamps, except the OIDC
 * `birthdate` claim, which is a `YYYY-MM-DD` date (OpenID Connect Core 1.0 section 5.1; Courier
 * profiles follow the standard claims, reference section 4.3). `null` is kept: the merge stores it.
 */
export function toCourierValue(field: string, value: FieldValue): CourierWireValue {
  if (!(value instanceof Date)) return value
  const iso = value.toISOString()
  return field === 'birthdate' ? iso.slice(0, 10) : iso
}

/** The merge body of a record: every mapped field but the recipient id. */
export function assembleProfileBody(fields: DeliveryRecord['fields']): CourierProfileBody {
  const profile: Record<string, CourierWireValue> = {}
  for (const [name, value] of Object.entries(fields)) {
    if (name !== RECIPIENT_ID_FIELD) profile[name] = toCourierValue(name, value)
  }
  return { profile }
}

/** The record's recipient id: the mapped `recipient_id`, which is the sync key's value. */
export function readRecipientId(record: DeliveryRecord): string {
  const value = record.fields[RECIPIENT_ID_FIELD]
  return typeof value === 'string' && value !== '' ? value : record.key
}
