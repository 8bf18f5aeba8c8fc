import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'

import type { Dispatcher } from 'undici'

import { AlertNotifier, type AlertOptions } from '../alerts/alert-notifier.js'
import type { CredentialSource } from '../credentials/resolve-credential.js'
import { connectorFor } from '../../providers/connectors.js'
import type { DestinationConnector, RequestGate } from '../destinations/destination.js'
import { recordRunEnd } from '../telemetry/record-run.js'
import { traceRun } from '../telemetry/trace-run.js'
import { createRequestGate } from './request-gate.js'
import type { RunnableSync } from './runnable-sync.js'
import { alertRun } from './run-alerts.js'
import { runSync, type RunSyncOptions } from './run-sync.js'
import { errorSummary, pendingResult, type SyncRunResult } from './sync-run-result.js'
import { isWarehouseInUse } from './warehouse-in-use.js'
import { WarehousePool } from './warehouse-pool.js'

/** Options of {@link runSyncs}. */
export interface RunSyncsOptions extends RunSyncOptions {
  /** Where credential references resolve (the environment by default). */
  credentials?: CredentialSource
  /** undici dispatcher for every destination request (tests bind one to an emulator). */
  dispatcher?: Dispatcher
  /** Warehouse connections to use (and leave open); by default opened here and closed at the end. */
  warehouses?: WarehousePool
  /** Called as each sync finishes. */
  onResult?: (result: SyncRunResult) => void
  /** Called as each sync starts. */
  onStart?: (sync: RunnableSync) => void
  /**
   * How the syncs' alerts are sent, and who hears of one that could not be; their secrets resolve
   * from `credentials`. Alerts go out as each sync ends, beside the syncs still running, and the
   * run resolves once they are sent or given up (within their deadline).
   */
  alerts?: Omit<AlertOptions, 'credentials'>
}

/**
 * Runs syncs: those of one destination connection one after another, through one connector and
 * one rate limiter (so the vendor's limits hold across them, in-flight limits included), and
 * different destinations at the same time. Refused credentials stop the remaining syncs of that
 * destination without a request. A sync whose warehouse another process holds is `skipped`, as
 * one whose lease another runner holds is. Resolves to one result per sync, in the order given; a
 * failed sync does not stop the others.
 */
export async function runSyncs(runnables: readonly RunnableSync[], options: RunSyncsOptions = {}): Promise<SyncRunResult[]> {
  const warehouses = options.warehouses ?? new WarehousePool(options.credentials)
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const alerts = new AlertNotifier({ ...options.alerts, credentials: options.credentials })
  const results = new Map<RunnableSync, SyncRunResult>()
  const byDestination = new Map<string, RunnableSync[]>()
  for (const runnable of runnables) {
    const group = byDestination.get(runnable.destination.name)
    if (group === undefined) byDestination.set(runnable.destination.name, [runnable])
    else group.push(runnable)
  }
  try {
    await Promise.all(
      [...byDestination.values()].map(async (group) => {
        let connection: { connector: DestinationConnector; gate: RequestGate } | undefined
        let stopped: SyncRunResult['error']
        for (const runnable of group) {
          options.onStart?.(runnable)
          let result: SyncRunResult
          if (options.signal?.aborted === true) {
            result = {
              ...failedBeforeStart(runnable, { code: 'RUN_INTERRUPTED', message: 'not started: the run was stopped' }),
              status: 'cancelled',
            }
          } else if (stopped !== undefined) {
            result = failedBeforeStart(runnable, stopped)
          } else {
            try {
              connection ??= await connect(runnable, options)
              const adapter = await warehouses.get(runnable.source)
              const schema = runnable.source.connection.stateSchema
              const context = { adapter, schema, sync: runnable.sync, holder, ...connection }
              result = await traceRun(runnable, () => runSync(context, options))
            } catch (error) {
              // Another process holds the warehouse (a DuckDB file another run has open): as with a
              // held lease, the sync is left to that run, not failed.
              result = isWarehouseInUse(error) ? skipped(runnable, error.message) : failedBeforeStart(runnable, errorSummary(error))
            }
          }
          if (result.error?.code === 'DESTINATION_AUTH') stopped = result.error
          results.set(runnable, result)
          recordRunEnd(runnable, result)
          options.onResult?.(result)
          alertRun(alerts, runnable, result, warehouses)
        }
      }),
    )
  } finally {
    // Before the warehouses close: a `rejected` alert reads the run's rejected rows.
    await alerts.settled()
    if (options.warehouses === undefined) await warehouses.closeAll()
  }
  return runnables.map((r) => results.get(r) ?? failedBeforeStart(r, { code: 'INTERNAL', message: 'not run' }))
}

async function connect(runnable: RunnableSync, options: RunSyncsOptions): Promise<{ connector: DestinationConnector; gate: RequestGate }> {
  const { destination } = runnable
  const connector = await connectorFor(destination, options)
  return { connector, gate: createRequestGate(connector.rateLimits) }
}

function skipped(runnable: RunnableSync, why: string): SyncRunResult {
  return { ...pendingResult(runnable.sync), status: 'skipped', skipped: why }
}

function failedBeforeStart(runnable: RunnableSync, error: NonNullable<SyncRunResult['error']>): SyncRunResult {
  return { ...pendingResult(runnable.sync), error, reason: `${error.code}: ${error.message}` }
}
