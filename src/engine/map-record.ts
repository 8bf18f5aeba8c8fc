import { createHash } from 'node:crypto'

import type { FieldType, ObjectDescriptor } from '../destinations/destination-catalog.js'
import type { DeliveryRecord, FieldValue } from '../destinations/destination.js'
import type { Mapping, SyncSpec } from '../model/spec-types.js'
import type { ChangeRow } from '../warehouse/diff/compute-diff.js'
import type { WarehouseValue } from '../warehouse/warehouse-adapter.js'
import { castValue } from './cast-value.js'

/**
 * A record as the runner builds it: what a connector reads, and the hash of the row it was built
 * from, which the snapshot records once the destination accepts the record (null for a removal).
 */
export interface MappedRecord extends DeliveryRecord {
  readonly rowHash: string | null
}

/** A change row turned into a record to deliver, or refused with the reason users will read. */
export type MappedRow = { ok: true; record: MappedRecord } | { ok: false; key: string; reason: string }

/**
 * Builds the pure function that maps a sync's change rows to destination records: each mapping
 * writes its field, values are cast to the field's declared type (the mapping's `type`, else the
 * destination's own type for the field, else the value's own), the key's field gets the key, and
 * rows that cannot be delivered (a value of the wrong type, a required field missing, a null the
 * destination cannot clear) are refused before anything is sent.
 */
export function createRecordMapper(
  sync: SyncSpec,
  object: ObjectDescriptor,
  modelColumns: readonly string[],
): (row: ChangeRow) => MappedRow {
  const writers = fieldWriters(sync, object, modelColumns)
  const required = object.requiredFields.filter((r) => r.behaviors === undefined || r.behaviors.includes(sync.behavior))
  const notClearable = notClearableFields(object)
  const op: DeliveryRecord['op'] = sync.behavior === 'send' ? 'send' : 'upsert'
  return (row) => {
    if (row.op === 'removed') {
      const fields = sync.key.field === undefined ? {} : { [sync.key.field]: row.key }
      return { ok: true, record: new SyncRecord(sync.name, row, 'delete', fields) }
    }
    if (row.key.trim() === '') return { ok: false, key: row.key, reason: 'the key is empty' }
    const fields: Record<string, FieldValue> = {}
    const problems: string[] = []
    for (const write of writers) {
      const cast = castValue(write.read(row.values), write.type)
      if (cast.ok) fields[write.field] = cast.value
      else problems.push(`${write.field}: ${cast.reason}`)
    }
    if (sync.key.field !== undefined) fields[sync.key.field] = row.key
    let reported: Set<string> | undefined
    // A record new to the sync may be created, so it needs what the destination requires to create it.
    if (row.op === 'added' || op === 'send') {
      for (const requirement of required) {
        if (!requirement.anyOf.some((name) => present(fields[name]))) {
          problems.push(`${requirement.anyOf.join(' or ')} is empty: ${requirement.reason}`)
          reported ??= new Set()
          for (const name of requirement.anyOf) reported.add(name)
        }
      }
    }
    for (const [name, reason] of notClearable) {
      if (fields[name] === null && reported?.has(name) !== true) problems.push(`${name} is null: ${reason}`)
    }
    if (problems.length > 0) return { ok: false, key: row.key, reason: problems.join('; ') }
    return { ok: true, record: new SyncRecord(sync.name, row, op, fields) }
  }
}

/**
 * A record as the runner builds it, with its idempotency key computed when a connector reads it:
 * only vendors that take one do (Loops events, Courier), and it costs a SHA-256.
 *
 * A class, not an object literal with a getter: such a literal costs ten times as much to create
 * (a getter pair per object), and one is created per row sent. One class for every sync and page,
 * so that the code reading records sees one shape in a worker that runs for days.
 */
class SyncRecord implements MappedRecord {
  readonly key: string
  readonly change: DeliveryRecord['change']
  readonly rowHash: string | null
  readonly #sync: string
  /** Absent, not undefined, when unknown. */
  declare readonly createdBySync?: boolean

  constructor(
    sync: string,
    row: ChangeRow,
    readonly op: DeliveryRecord['op'],
    readonly fields: DeliveryRecord['fields'],
  ) {
    this.#sync = sync
    this.key = row.key
    this.change = row.op
    // A removal's row hash is null, as its record's is.
    this.rowHash = op === 'delete' ? null : row.hash
    // What the snapshot says about who created a removed record: Loops mirror deletes only its own.
    if (op === 'delete' && row.created !== undefined) (this as { createdBySync?: boolean }).createdBySync = row.created
  }

  /** Computed at each read, which is rare: once per attempt to send the record, by the vendors that take it. */
  get idempotencyKey(): string {
    return recordIdempotencyKey(this.#sync, this.key, this.rowHash)
  }
}

/**
 * Fields of the object that a null cannot clear, with why: sent, a null would leave the old value
 * in place while the row counted as synced, so the row is refused instead, whatever its history
 * (the snapshot keeps no values, so "was null before" cannot be told from "just became null").
 */
function notClearableFields(object: ObjectDescriptor): [string, string][] {
  return Object.entries(object.fields).flatMap(([name, descriptor]) =>
    descriptor.notClearable === undefined ? [] : [[name, descriptor.notClearable] as [string, string]],
  )
}

/** One destination field and how to read its value from a row. */
interface FieldWriter {
  field: string
  type: FieldType | undefined
  read(values: Readonly<Record<string, WarehouseValue>>): WarehouseValue
}

function fieldWriters(sync: SyncSpec, object: ObjectDescriptor, modelColumns: readonly string[]): FieldWriter[] {
  const writers: FieldWriter[] = []
  const typeOf = (mapping: Extract<Mapping, { field: string }>) => mapping.type ?? object.fields[mapping.field]?.type
  for (const mapping of sync.mappings) {
    switch (mapping.kind) {
      case 'column': {
        const column = resolveColumn(mapping.column, modelColumns)
        writers.push({ field: mapping.field, type: typeOf(mapping), read: (values) => values[column] ?? null })
        break
      }
      case 'constant':
        writers.push({ field: mapping.field, type: typeOf(mapping), read: () => mapping.value })
        break
      case 'allColumns': {
        const except = new Set([...mapping.except, sync.key.column].map((c) => c.toLowerCase()))
        for (const column of modelColumns) {
          if (except.has(column.toLowerCase())) continue
          const field = renameColumn(column, mapping.case)
          writers.push({ field, type: object.fields[field]?.type, read: (values) => values[column] ?? null })
        }
        break
      }
    }
  }
  return writers
}

/** The model's spelling of a mapped column (Snowflake reports unquoted names in upper case). */
function resolveColumn(column: string, modelColumns: readonly string[]): string {
  return modelColumns.find((c) => c === column) ?? modelColumns.find((c) => c.toLowerCase() === column.toLowerCase()) ?? column
}

/** A model column's field name under an `allColumns` mapping's `case`. */
export function renameColumn(column: string, style: 'preserve' | 'camel' | 'snake' | 'lower'): string {
  switch (style) {
    case 'preserve':
      return column
    case 'lower':
      return column.toLowerCase()
    case 'snake':
      return words(column).join('_')
    case 'camel':
      return words(column)
        .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
        .join('')
  }
}

/** `signedUpAt`, `SIGNED_UP_AT` and `signed-up at` all give `signed`, `up`, `at`. */
function words(column: string): string[] {
  return column
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase())
}

function present(value: FieldValue | undefined): boolean {
  return value !== undefined && value !== null && value !== ''
}

/**
 * The same for a record every time it is sent with the same values, in this run or a later one,
 * and different once its values change: the vendor drops a repeat, not an update.
 */
export function recordIdempotencyKey(sync: string, key: string, hash: string | null): string {
  return createHash('sha256')
    .update(`${sync}\u0000${key}\u0000${hash ?? 'removed'}`)
    .digest('hex')
    .slice(0, 48)
}
