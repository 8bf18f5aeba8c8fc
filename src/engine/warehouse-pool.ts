import type { CredentialSource } from '../credentials/resolve-credential.js'
import type { SourceSpec } from '../model/spec-types.js'
import { openWarehouse } from '../warehouse/open-warehouse.js'
import { migrateState } from '../warehouse/state/migrate-state.js'
import { readStatePresence } from '../warehouse/state/state-presence.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { openWhenFree, type WaitForWarehouseOptions } from './warehouse-in-use.js'

/** Options of a {@link WarehousePool}: how long to wait for a warehouse another process holds, and whether it only reads. */
export interface WarehousePoolOptions extends WaitForWarehouseOptions {
  /**
   * Only read: the state schema is neither created nor migrated, DuckDB files open read-only, and
   * a state store that does not exist yet reads as empty. For `plan`, `run --dry-run` and
   * `verify`, which then work with read-only credentials.
   * @default false
   */
  readOnly?: boolean
}

/**
 * One open connection per source for a command's lifetime, its state tables migrated once (unless
 * read-only). Syncs of one source share it (an embedded DuckDB file can be opened by one process
 * only once).
 */
export class WarehousePool {
  private readonly open = new Map<string, Promise<WarehouseAdapter>>()
  private readonly stateFound = new Map<string, Promise<boolean>>()
  private readonly credentials: CredentialSource
  private readonly options: WarehousePoolOptions
  private readonly readOnly: boolean

  constructor(credentials: CredentialSource = process.env, options: WarehousePoolOptions = {}) {
    this.credentials = credentials
    this.options = options
    this.readOnly = options.readOnly === true
  }

  /** The source's warehouse, with its state schema ready (or, read-only, as it is). */
  get(source: SourceSpec): Promise<WarehouseAdapter> {
    let adapter = this.open.get(source.name)
    if (adapter === undefined) {
      const opening = () => openWarehouse(source, this.credentials, { readOnly: this.readOnly })
      adapter = openWhenFree(source.name, opening, this.options).then(async (opened) => {
        if (!this.readOnly) await migrateState(opened, source.connection.stateSchema)
        return opened
      })
      this.open.set(source.name, adapter)
    }
    return adapter
  }

  /**
   * Whether the source's state store exists: always once `get` migrated it; in a read-only pool,
   * when a run or `pulumi up` created it. Asked once per source.
   */
  hasState(source: SourceSpec): Promise<boolean> {
    let found = this.stateFound.get(source.name)
    if (found === undefined) {
      found = this.get(source).then(async (adapter) =>
        this.readOnly ? (await readStatePresence(adapter, source.connection.stateSchema)).migrated : true,
      )
      this.stateFound.set(source.name, found)
    }
    return found
  }

  async closeAll(): Promise<void> {
    const opened = [...this.open.values()]
    this.open.clear()
    this.stateFound.clear()
    await Promise.all(opened.map(async (adapter) => (await adapter.catch(() => undefined))?.close()))
  }
}
