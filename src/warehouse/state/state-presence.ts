import { textField } from '../row-field.js'
import type { WarehouseReader } from '../warehouse-adapter.js'
import { syncTableNames } from './state-tables.js'
import { tombstoneTableName } from './tombstones.js'

/**
 * Which state tables exist, for readers that must not create them (plans, verifications): a
 * state store not created yet, or a sync that never ran, reads as empty instead of failing.
 */
export interface StatePresence {
  /** The state schema. */
  readonly schema: string
  /** The shared tables exist: a run or `pulumi up` created and migrated the state store. */
  readonly migrated: boolean
  /** The sync's snapshot exists: a run of it made its tables. */
  hasSnapshot(sync: string): boolean
  /** The sync's tombstones exist. */
  hasTombstones(sync: string): boolean
}

/** Reads which state tables exist in `schema`, from the warehouse's catalog (one query). */
export async function readStatePresence(reader: WarehouseReader, schema: string): Promise<StatePresence> {
  const { rows } = await reader.run({ sql: reader.dialect.tablesInSchemaSql(), params: [schema] })
  const tables = new Set(rows.map((row) => textField(row, 'table_name')))
  return {
    schema,
    migrated: tables.has('migrations'),
    hasSnapshot: (sync) => tables.has(syncTableNames(sync).snapshot),
    hasTombstones: (sync) => tables.has(tombstoneTableName(sync)),
  }
}
