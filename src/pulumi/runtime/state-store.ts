import { isAbsolute, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import { isOutflowError } from '../../errors.js'
import type { SourceSpec } from '../../model/spec-types.js'
import { openWarehouse } from '../../warehouse/open-warehouse.js'
import { migrateState } from '../../warehouse/state/migrate-state.js'
import type { WarehouseAdapter } from '../../warehouse/warehouse-adapter.js'
import { applyCredentials } from './apply-credentials.js'

/** The state store of a source's warehouse, open for one provider call. */
export interface StateStore {
  adapter: WarehouseAdapter
  schema: string
}

/**
 * Attempts at a state store call that lost to a concurrent transaction. `pulumi up` creates
 * every sync at once, so on a new warehouse they all migrate the state tables together, and
 * DuckDB's optimistic concurrency lets one of them win.
 */
const CONFLICT_ATTEMPTS = 8

/**
 * Runs `work` against the state store of `source`, with its tables migrated, and closes the
 * warehouse before returning: the provider host lives for a whole `pulumi up`, and a connection
 * must not outlive the call that needed it. `work` may run again after a conflict, so it must be
 * idempotent. `secrets` receives the credential values used, to keep them out of messages.
 */
export async function withStateStore<T>(
  source: SourceSpec,
  credentials: Readonly<Record<string, string>>,
  secrets: string[],
  work: (store: StateStore) => Promise<T>,
): Promise<T> {
  const applied = applyCredentials(`source "${source.name}"`, source.connection, credentials)
  secrets.push(...applied.values)
  const adapter = await openWarehouse(localSource(source), applied.source)
  const store = { adapter, schema: source.connection.stateSchema }
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await migrateState(adapter, store.schema)
        return await work(store)
      } catch (error) {
        if (!isOutflowError(error) || error.code !== 'WAREHOUSE_CONFLICT' || attempt === CONFLICT_ATTEMPTS) throw error
        await sleep(Math.random() * 20 * attempt)
      }
    }
  } finally {
    await adapter.close()
  }
}

/** A DuckDB path kept relative in state resolves against the Pulumi project directory, where the provider host runs. */
function localSource(source: SourceSpec): SourceSpec {
  const connection = source.connection
  if (connection.type !== 'duckdb' || connection.path === undefined || connection.path === ':memory:' || isAbsolute(connection.path))
    return source
  return { ...source, connection: { ...connection, path: resolve(process.cwd(), connection.path) } }
}
