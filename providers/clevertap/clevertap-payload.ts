import type { DeliveryRecord, FieldValue } from '../../src/destinations/destination.js'

/** A value as CleverTap reads it: dates are already `$D_` strings. */
export type CleverTapValue = string | number | boolean | null

/** One record of an upload's `d` array. */
export type CleverTapUploadRecord = Readonly<Record<string, CleverTapValue | Readonly<Record<string, CleverTapValue>>>>

/**
 * A profile record (reference/destinations.md section 3.3): `identity` from the key field, every
 * other mapped field in `profileData`. `ts` is left out: CleverTap stamps the upload time. An
 * unknown identity creates the profile, so every profile write is an upsert.
 */
export function assembleProfile(record: DeliveryRecord, keyField: string | undefined): CleverTapUploadRecord {
  const value = keyField === undefined ? undefined : record.fields[keyField]
  const identity = value === undefined || value === null ? record.key : String(value)
  return { type: 'profile', identity, profileData: assembleData(record, new Set([keyField ?? 'identity', 'identity'])) }
}

/** Event fields that sit on the record itself; every other field goes into `evtData`. */
const EVENT_RECORD_FIELDS = new Set(['identity', 'evtName', 'ts'])

/**
 * An event record (section 3.3): `identity`, `evtName`, `ts` in epoch seconds (the mapped one, or
 * `deliveredAt`), the other fields in `evtData`. A record without an identity or a name is sent as
 * it is: CleverTap skips it with its own code (523, 509), which becomes the record's rejection.
 */
export function assembleEvent(record: DeliveryRecord, deliveredAt: Date): CleverTapUploadRecord {
  const { identity, evtName, ts } = record.fields
  return {
    type: 'event',
    ...(identity === undefined || identity === null ? {} : { identity: String(identity) }),
    ...(evtName === undefined || evtName === null ? {} : { evtName: toCleverTapValue(evtName) }),
    ts: toTs(ts ?? deliveredAt),
    evtData: assembleData(record, EVENT_RECORD_FIELDS),
  }
}

/**
 * A field value in CleverTap's wire format: a date is `"$D_<epoch seconds>"`, the form CleverTap
 * reads as a date in profile and event properties (api-faqs; section 3.3).
 */
export function toCleverTapValue(value: FieldValue): CleverTapValue {
  return value instanceof Date ? `$D_${epochSeconds(value)}` : value
}

/**
 * `ts` is a plain epoch-seconds integer, not a `$D_` string. A number or string mapped to it is
 * sent unchanged, so that CleverTap, not a guess here, decides whether it is epoch seconds (525).
 */
function toTs(value: FieldValue): CleverTapValue {
  return value instanceof Date ? epochSeconds(value) : value
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

function assembleData(record: DeliveryRecord, skip: ReadonlySet<string>): Record<string, CleverTapValue> {
  const data: Record<string, CleverTapValue> = {}
  for (const [field, value] of Object.entries(record.fields)) if (!skip.has(field)) data[field] = toCleverTapValue(value)
  return data
}
