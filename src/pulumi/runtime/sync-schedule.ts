import { temporalModules } from '../../temporal/temporal-modules.js'
import { providerError } from './provider-error.js'
import type { SyncOutputs } from './sync-types.js'

/*
 * A registered sync's Temporal Schedule, kept by `pulumi up` when the program gives a Temporal
 * server: created or updated with the registration (a manual sync has none), deleted with it.
 * The Temporal packages load only then, so that projects without workers need not install them.
 */

/** Creates or updates the Schedule of a registered sync. */
export async function scheduleSync(outs: SyncOutputs): Promise<void> {
  const temporal = outs.temporal
  if (temporal === undefined) return
  try {
    const { resolveTemporal, withTemporalClient, putSyncSchedule, refuseUnsharedWarehouses } = await temporalModules()
    refuseUnsharedWarehouses([outs.source])
    const resolved = resolveTemporal({ address: temporal.address, namespace: temporal.namespace, taskQueue: temporal.taskQueue })
    await withTemporalClient(resolved, (client) =>
      putSyncSchedule(client, resolved, { sync: outs.sync, source: outs.source, destination: outs.destination }),
    )
  } catch (error) {
    throw providerError(`sync "${outs.sync.name}": its Temporal Schedule`, error, Object.values(outs.credentials))
  }
}

/** Deletes the Schedule of a sync, if it has one. */
export async function unscheduleSync(outs: SyncOutputs): Promise<void> {
  const temporal = outs.temporal
  if (temporal === undefined) return
  try {
    const { resolveTemporal, withTemporalClient, deleteSyncSchedule, syncWorkflowId } = await temporalModules()
    const resolved = resolveTemporal({ address: temporal.address, namespace: temporal.namespace, taskQueue: temporal.taskQueue })
    const id = syncWorkflowId({ sync: outs.sync, source: outs.source, destination: outs.destination })
    await withTemporalClient(resolved, (client) => deleteSyncSchedule(client, id))
  } catch (error) {
    throw providerError(`sync "${outs.sync.name}": its Temporal Schedule`, error, Object.values(outs.credentials))
  }
}
