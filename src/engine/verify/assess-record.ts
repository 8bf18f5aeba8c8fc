import type { FieldValue } from '../../destinations/destination.js'
import type { ReadRecord, ValueForms } from '../../destinations/record-reader.js'
import type { Row } from '../../warehouse/warehouse-adapter.js'
import type { MappedRow } from '../map-record.js'
import type { ChangeRow } from '../../warehouse/diff/compute-diff.js'
import { differingFields } from './compare-values.js'
import type { DriftFinding, FieldDrift } from './sync-verification.js'

/** A synced key whose model row still has the snapshot's hash, with that row's values; or gone from the model. */
export interface SyncedRow {
  key: string
  /** The model row's values; undefined when the model no longer has the key. */
  values: Row | undefined
}

/** What became of a synced key. */
export type Assessment = { kind: 'inSync' } | { kind: 'outOfModel' } | { kind: 'pending' } | DriftFinding

/** How the records of one sync are judged. */
export interface AssessContext {
  /** The sync's mapper: a model row to the fields it sends. */
  map: (row: ChangeRow) => MappedRow
  /** The field the sync key maps to: the vendor found the record by it, so it is not compared. */
  keyField: string | undefined
  forms: ValueForms
  /** Whether findings carry the values (model values may not be shown where output is public). */
  showValues: boolean
}

/**
 * Judges a synced key against what the vendor holds: missing; present but out of the model (an
 * upsert keeps it; only presence counts); or, since the model row is exactly what the vendor
 * accepted, each mapped field compared with the vendor's. Pure.
 */
export function assessSynced(row: SyncedRow, read: ReadRecord, context: AssessContext): Assessment {
  if (!read.found)
    return read.detail === undefined ? { kind: 'missing', key: row.key } : { kind: 'missing', key: row.key, detail: read.detail }
  if (row.values === undefined) return { kind: 'outOfModel' }
  const mapped = context.map({ op: 'changed', key: row.key, hash: null, values: row.values })
  // A row the mapping now refuses is not what was accepted: the next run decides what to do with it.
  if (!mapped.ok) return { kind: 'pending' }
  const expected: Record<string, FieldValue> = { ...mapped.record.fields }
  if (context.keyField !== undefined) Reflect.deleteProperty(expected, context.keyField)
  const differences = differingFields(expected, read.fields, context.forms)
  if (differences.length === 0) return { kind: 'inSync' }
  const fields: FieldDrift[] = differences.map((d) =>
    context.showValues ? { field: d.field, expected: d.expected, actual: d.actual } : { field: d.field },
  )
  return { kind: 'different', key: row.key, fields }
}

/** Judges a key a mirror removed: drift when the vendor still has it. Pure. */
export function assessRemoved(key: string, removedAt: string, read: ReadRecord): DriftFinding | undefined {
  return read.found ? { kind: 'stillPresent', key, removedAt } : undefined
}
