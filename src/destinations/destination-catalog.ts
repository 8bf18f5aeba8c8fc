import type { Behavior } from '../model/behavior.js'
import type { DestinationSpecDocument, SyncOptionsDocument } from '../model/spec-document-types.generated.js'

import type { FieldType } from '../model/field-type.js'

export { FIELD_TYPES, type FieldType } from '../model/field-type.js'

/** The vendors Outflow writes to, as named in `Destination` specs. */
export type DestinationType = DestinationSpecDocument['type']

/** Names of the object options a sync may set (`spec.options`). */
export type SyncOptionName = keyof SyncOptionsDocument

/** A field the destination object knows. */
export interface FieldDescriptor {
  type: FieldType
  description: string
  /**
   * Why a null cannot clear the field, when the destination keeps the value it has instead (Loops
   * cannot remove a contact's email). A row that maps a null to it is refused with this reason,
   * never counted as synced while the destination shows the old value.
   */
  notClearable?: string
}

/** At least one of `anyOf` must be mapped (the key's field counts) when the sync uses one of `behaviors`. */
export interface RequiredFields {
  anyOf: readonly string[]
  /** Behaviors the requirement applies to; all when omitted. */
  behaviors?: readonly Behavior[]
  /** Why, in words a user understands. */
  reason: string
}

/** What a destination object accepts: the facts the validator and the connector both rely on. */
export interface ObjectDescriptor {
  description: string
  /**
   * Destination fields a sync key may map to. Empty for event objects: their key is an event id
   * column that Outflow uses to send each event once, not a destination field.
   */
  identifiers: readonly string[]
  behaviors: readonly Behavior[]
  /** Fields with a fixed meaning and type at the destination. */
  fields: Readonly<Record<string, FieldDescriptor>>
  /** Whether fields not listed in `fields` may be written, and what they become. */
  customFields: { allowed: boolean; description: string }
  requiredFields: readonly RequiredFields[]
  /** Options this object accepts, and those it requires. */
  options: readonly SyncOptionName[]
  requiredOptions: readonly SyncOptionName[]
}

/** Everything a destination declares about its objects. */
export interface DestinationCatalog {
  type: DestinationType
  displayName: string
  objects: Readonly<Record<string, ObjectDescriptor>>
}
