import { createHash } from 'node:crypto'

import type { DeliveryRecord, FieldValue } from '../../src/destinations/destination.js'
import type { SyncOptions } from '../../src/model/spec-types.js'
import { LOOPS_IDEMPOTENCY_KEY_MAX_LENGTH } from './loops-limits.js'

/** A value as Loops takes it: `null` resets a custom property (loops.json request descriptions). */
export type LoopsWireValue = string | number | boolean | null

/** The body of a contact create or update: properties as top-level keys, plus `mailingLists`. */
export type LoopsContactBody = Record<string, LoopsWireValue | Readonly<Record<string, boolean>>>

/** Exactly one identifier, as `POST /v1/contacts/delete` takes it (reference section 1.5). */
export type LoopsIdentifier = { email: string } | { userId: string }

/** The identifiers a record carries; an upsert sends both when it has both. */
export interface LoopsIdentifiers {
  email?: string
  userId?: string
}

/** `POST /v1/events/send` without properties: the contact was just written by the upsert. */
export type LoopsEventBody = LoopsIdentifiers & { eventName: string }

/** Standard contact properties typed `string` in loops.json `ContactFields`: they take no `null`. */
const STANDARD_STRINGS = new Set(['firstName', 'lastName', 'source', 'userGroup'])

/** A typed field value in Loops' wire format: dates as ISO 8601, as Loops' own examples send them. */
export function toLoopsValue(value: Exclude<FieldValue, null>): string | number | boolean {
  return value instanceof Date ? value.toISOString() : value
}

/**
 * The create/update body of a record. `subscribed` is sent only when the sync maps it, since
 * `true` re-subscribes a contact who unsubscribed (reference section 1.4). Sync-level
 * `mailingLists` are added to every contact.
 */
export function assembleContactBody(fields: DeliveryRecord['fields'], options: SyncOptions): LoopsContactBody {
  const body: LoopsContactBody = {}
  for (const [name, value] of Object.entries(fields)) {
    const wire = value === null ? clearedValue(name) : toLoopsValue(value)
    if (wire !== undefined) body[name] = wire
  }
  if (options.mailingLists !== undefined) body['mailingLists'] = { ...options.mailingLists }
  return body
}

/**
 * What a `null` becomes: custom properties are reset with `null`; standard strings accept only
 * strings, so they are emptied. An identifier or `subscribed` has no empty form at Loops: a null
 * there would keep the old value, so the engine refuses such rows before delivery (the catalog's
 * `notClearable`). One that arrives anyway is left out, never sent as an empty identifier.
 */
function clearedValue(name: string): LoopsWireValue | undefined {
  if (name === 'email' || name === 'userId' || name === 'subscribed') return undefined
  return STANDARD_STRINGS.has(name) ? '' : null
}

/** The record's email and userId, when they are non-empty strings. */
export function readIdentifiers(fields: DeliveryRecord['fields']): LoopsIdentifiers {
  const identifiers: LoopsIdentifiers = {}
  const { email, userId } = fields
  if (typeof email === 'string' && email !== '') identifiers.email = email
  if (typeof userId === 'string' && userId !== '') identifiers.userId = userId
  return identifiers
}

/** The one identifier a delete sends: the sync key's field, whose value is the record key. */
export function deleteIdentifier(keyField: string | undefined, record: DeliveryRecord): LoopsIdentifier {
  const value = record.fields[keyField ?? 'email']
  const identifier = typeof value === 'string' && value !== '' ? value : record.key
  return keyField === 'userId' ? { userId: identifier } : { email: identifier }
}

/** The record's idempotency key, hashed when longer than Loops accepts. */
export function loopsIdempotencyKey(key: string): string {
  return key.length <= LOOPS_IDEMPOTENCY_KEY_MAX_LENGTH ? key : createHash('sha256').update(key).digest('hex')
}
