import type { SourceSpec } from '../model/spec-types.js'
import { listRegisteredSpecs } from '../warehouse/state/spec-registry.js'
import type { RunnableSync } from './runnable-sync.js'
import type { WarehousePool } from './warehouse-pool.js'

/**
 * The syncs registered (by `pulumi up`) in the state stores of `sources`: what was applied, with
 * the destination it was applied with. This, not the working tree, is what the runner runs. A
 * state store not created yet (seen through a read-only pool) has none.
 */
export async function registeredSyncs(sources: readonly SourceSpec[], warehouses: WarehousePool): Promise<RunnableSync[]> {
  const found: RunnableSync[] = []
  for (const source of sources) {
    if (!(await warehouses.hasState(source))) continue
    const adapter = await warehouses.get(source)
    for (const registered of await listRegisteredSpecs(adapter, source.connection.stateSchema)) {
      found.push({ sync: registered.spec, destination: registered.destination, source })
    }
  }
  return found
}
