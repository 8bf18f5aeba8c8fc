import type { Dispatcher } from 'undici'

import { AlertNotifier, type AlertOptions } from '../../alerts/alert-notifier.js'
import type { CredentialSource } from '../../credentials/resolve-credential.js'
import { connectorFor } from '../../../providers/connectors.js'
import type { DestinationCatalog } from '../../destinations/destination-catalog.js'
import type { RequestGate } from '../../destinations/destination.js'
import { readerFor } from '../../../providers/readers.js'
import type { RecordReader } from '../../destinations/record-reader.js'
import { traceVerify } from '../../telemetry/trace-verify.js'
import { createRequestGate } from '../request-gate.js'
import type { RunnableSync } from '../runnable-sync.js'
import { errorSummary } from '../sync-run-result.js'
import type { WarehousePool } from '../warehouse-pool.js'
import { emptyVerification, type SyncVerification } from './sync-verification.js'
import { verifySync, type VerifySyncOptions } from './verify-sync.js'

/** Options of {@link verifySyncs}. */
export interface VerifySyncsOptions extends VerifySyncOptions {
  /** Warehouse connections to use; the caller closes them. */
  warehouses: WarehousePool
  /** Where credential references resolve (the environment by default). */
  credentials?: CredentialSource
  /** undici dispatcher for every vendor request (tests bind one to an emulator). */
  dispatcher?: Dispatcher
  /** Called as each sync's verification finishes. */
  onResult?: (result: SyncVerification) => void
  /**
   * How the syncs' `drift` alerts are sent, and who hears of one that could not be; their
   * secrets resolve from `credentials`. Verifying resolves once they are sent or given up.
   */
  alerts?: Omit<AlertOptions, 'credentials'>
}

/** One destination connection's reader, catalog and gate, shared by its syncs. */
interface Connection {
  catalog: DestinationCatalog
  reader: RecordReader
  gate: RequestGate
}

/** Failures after which no call to the destination can succeed: its other syncs are not tried. */
const STOPPING_CODES = new Set(['DESTINATION_AUTH', 'CREDENTIAL_MISSING'])

/**
 * Verifies syncs as `runSyncs` runs them: the syncs of one destination connection one after
 * another, through one request gate (the connector's rate limits plus the read endpoints' own, so
 * the vendor's limits hold across them), different destinations at the same time. Refused or
 * missing credentials stop the remaining syncs of that destination without a request. Resolves to
 * one verification per sync, in the order given.
 */
export async function verifySyncs(runnables: readonly RunnableSync[], options: VerifySyncsOptions): Promise<SyncVerification[]> {
  const results = new Map<RunnableSync, SyncVerification>()
  const alerts = new AlertNotifier({ ...options.alerts, credentials: options.credentials })
  const byDestination = new Map<string, RunnableSync[]>()
  for (const runnable of runnables)
    byDestination.set(runnable.destination.name, [...(byDestination.get(runnable.destination.name) ?? []), runnable])
  await Promise.all(
    [...byDestination.values()].map(async (group) => {
      let connection: Connection | undefined
      let stopped: SyncVerification['error']
      for (const runnable of group) {
        let result: SyncVerification
        try {
          connection ??= await connect(runnable, options)
          result = await verifyOne(runnable, connection, stopped, options)
        } catch (error) {
          result = failed(runnable, errorSummary(error))
        }
        if (result.error !== undefined && STOPPING_CODES.has(result.error.code)) stopped = result.error
        results.set(runnable, result)
        options.onResult?.(result)
        alerts.verified(runnable.sync, result)
      }
    }),
  )
  await alerts.settled()
  return runnables.map((r) => results.get(r) ?? failed(r, { code: 'INTERNAL', message: 'not verified' }))
}

/** A readable object after refused credentials fails with their error; an unreadable one needs no call and is reported as such. */
async function verifyOne(
  runnable: RunnableSync,
  connection: Connection,
  stopped: SyncVerification['error'],
  options: VerifySyncsOptions,
): Promise<SyncVerification> {
  if (stopped !== undefined && connection.reader.objects[runnable.sync.object]?.readable === true) return failed(runnable, stopped)
  const adapter = await options.warehouses.get(runnable.source)
  return traceVerify(runnable, () =>
    verifySync({ adapter, schema: runnable.source.connection.stateSchema, sync: runnable.sync, ...connection }, options),
  )
}

async function connect(runnable: RunnableSync, options: VerifySyncsOptions): Promise<Connection> {
  const connector = await connectorFor(runnable.destination, options)
  const reader = await readerFor(runnable.destination, options)
  return { catalog: connector.catalog, reader, gate: createRequestGate([...connector.rateLimits, ...reader.rateLimits]) }
}

function failed(runnable: RunnableSync, error: NonNullable<SyncVerification['error']>): SyncVerification {
  return { ...emptyVerification(runnable.sync, undefined), outcome: 'failed', error }
}
