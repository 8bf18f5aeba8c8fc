import type { CredentialSource } from '../credentials/resolve-credential.js'
import type { SourceSpec } from '../model/spec-types.js'
import { openWarehouse } from '../warehouse/open-warehouse.js'
import { migrateState } from '../warehouse/state/migrate-state.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'

/**
 * One open connection per source for a command's lifetime, its state tables migrated once. Syncs
 * of one source share it (an embedded DuckDB file can be opened by one process only once).
 */
export class WarehousePool {
  private readonly open = new Map<string, Promise<WarehouseAdapter>>()
  private readonly credentials: CredentialSource

  constructor(credentials: CredentialSource = process.env) {
    this.credentials = credentials
  }

  /** The source's warehouse, with its state schema ready. */
  get(source: SourceSpec): Promise<WarehouseAdapter> {
    let adapter = this.open.get(source.name)
    if (adapter === undefined) {
      adapter = openWarehouse(source, this.credentials).then(async (opened) => {
        await migrateState(opened, source.connection.stateSchema)
        return opened
      })
      this.open.set(source.name, adapter)
    }
    return adapter
  }

  async closeAll(): Promise<void> {
    const opened = [...this.open.values()]
    this.open.clear()
    await Promise.all(opened.map(async (adapter) => (await adapter.catch(() => undefined))?.close()))
  }
}
