import type { DestinationSpec, SyncSpec } from '../../model/spec-types.js'
import type { WarehouseAdapter } from '../warehouse-adapter.js'
import { textField } from '../row-field.js'
import { stateTables } from './state-tables.js'

/**
 * A sync spec as registered in the state store: what was applied, which the runner runs. The
 * destination's connection (credential references, never values) is registered with it, so that
 * the runner writes where the applied spec said, whatever the working tree holds.
 */
export interface RegisteredSpec {
  spec: SyncSpec
  destination: DestinationSpec
  specHash: string
  registeredAt: Date
  updatedAt: Date
}

/** What the `spec` column holds, as JSON. */
interface StoredSpec {
  sync: SyncSpec
  destination: DestinationSpec
}

/** Registers (or replaces) a sync's reconciled spec and its destination, in one transaction. */
export async function registerSpec(
  adapter: WarehouseAdapter,
  schema: string,
  spec: SyncSpec,
  destination: DestinationSpec,
  specHash: string,
): Promise<void> {
  const { dialect } = adapter
  const { specs } = stateTables(dialect, schema)
  await adapter.transaction(async (tx) => {
    const existing = await tx.run({ sql: `select registered_at from ${specs} where sync = ?`, params: [spec.name] })
    const json = JSON.stringify({ sync: spec, destination } satisfies StoredSpec)
    if (existing.rows.length > 0) {
      await tx.run({
        sql: `update ${specs} set spec = ?, spec_hash = ?, updated_at = ${dialect.now()} where sync = ?`,
        params: [json, specHash, spec.name],
      })
    } else {
      await tx.run({
        sql: `insert into ${specs} (sync, spec, spec_hash, registered_at, updated_at) values (?, ?, ?, ${dialect.now()}, ${dialect.now()})`,
        params: [spec.name, json, specHash],
      })
    }
  })
}

/** Removes a sync's registration; its snapshot and history stay. Returns whether it was registered. */
export async function unregisterSpec(adapter: WarehouseAdapter, schema: string, name: string): Promise<boolean> {
  const result = await adapter.run({ sql: `delete from ${stateTables(adapter.dialect, schema).specs} where sync = ?`, params: [name] })
  return result.rowsAffected > 0
}

/** Every registered spec, by name. */
export async function listRegisteredSpecs(adapter: WarehouseAdapter, schema: string): Promise<RegisteredSpec[]> {
  const { rows } = await adapter.run({
    sql: `select sync, spec, spec_hash, registered_at, updated_at from ${stateTables(adapter.dialect, schema).specs} order by sync`,
  })
  return rows.map((row) => {
    const stored = JSON.parse(textField(row, 'spec') ?? 'null') as StoredSpec
    return {
      spec: stored.sync,
      destination: stored.destination,
      specHash: textField(row, 'spec_hash') ?? '',
      registeredAt: new Date(textField(row, 'registered_at') ?? 0),
      updatedAt: new Date(textField(row, 'updated_at') ?? 0),
    }
  })
}

/** One registered spec, or undefined. */
export async function readRegisteredSpec(adapter: WarehouseAdapter, schema: string, name: string): Promise<RegisteredSpec | undefined> {
  return (await listRegisteredSpecs(adapter, schema)).find((s) => s.spec.name === name)
}
