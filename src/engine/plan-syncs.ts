import type { Dispatcher } from 'undici'

import type { CredentialSource } from '../credentials/resolve-credential.js'
import { connectorFor } from '../../providers/connectors.js'
import { planSync, type PlanSyncOptions, type SyncPlan } from './plan-sync.js'
import type { RunnableSync } from './runnable-sync.js'
import { errorSummary } from './sync-run-result.js'
import type { WarehousePool } from './warehouse-pool.js'

/** A sync's plan, or why it could not be computed (a missing model column, say). */
export type PlanOutcome = { runnable: RunnableSync; plan: SyncPlan } | { runnable: RunnableSync; error: { code: string; message: string } }

/** Options of {@link planSyncs}. */
export interface PlanSyncsOptions extends PlanSyncOptions {
  warehouses: WarehousePool
  credentials?: CredentialSource
  dispatcher?: Dispatcher
}

/**
 * Plans syncs one after another. Destination credentials are not needed: a plan reads the
 * warehouse and the connectors' declared limits, and sends nothing. One sync's failure is its
 * own outcome; the others are still planned.
 */
export async function planSyncs(runnables: readonly RunnableSync[], options: PlanSyncsOptions): Promise<PlanOutcome[]> {
  const outcomes: PlanOutcome[] = []
  for (const runnable of runnables) {
    try {
      const connector = await connectorFor(runnable.destination, options)
      const adapter = await options.warehouses.get(runnable.source)
      outcomes.push({ runnable, plan: await planSync(adapter, runnable.source.connection.stateSchema, runnable.sync, connector, options) })
    } catch (error) {
      outcomes.push({ runnable, error: errorSummary(error) })
    }
  }
  return outcomes
}
