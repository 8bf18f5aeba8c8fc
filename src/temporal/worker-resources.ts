import type { Dispatcher } from 'undici'

import { connectorFor } from '../../providers/connectors.js'
import { AlertNotifier } from '../alerts/alert-notifier.js'
import type { AlertWarning } from '../alerts/alert-warning.js'
import type { CredentialSource } from '../credentials/resolve-credential.js'
import type { DestinationConnector, RequestGate } from '../destinations/destination.js'
import { alertRun } from '../engine/run-alerts.js'
import type { RunnableSync } from '../engine/runnable-sync.js'
import type { SyncRunResult } from '../engine/sync-run-result.js'
import { WarehousePool } from '../engine/warehouse-pool.js'
import { workerGate } from './delivery-queues.js'
import type { DestinationSpec } from '../model/spec-types.js'

/** One page a worker delivered. */
export interface PageReport {
  sync: string
  runId: string
  page: number
  /** 1 for the first try; more when the page was given again (its worker died). */
  attempt: number
  rows: number
  synced: number
  /** Rows not delivered: rejected, failed or of unknown outcome. */
  notSynced: number
  /** Rows handed back after a 429, to be delivered by the page's next turn in the queue. */
  handedBack: number
  ms: number
}

/** A destination connection as a worker uses it: one connector and one request pacer per process. */
export interface WorkerConnection {
  connector: DestinationConnector
  /** Paces this process's requests within a page; the task queue's rate holds the limit across workers. */
  gate: RequestGate
}

/**
 * What a worker process opens once and shares across the activities it runs: one warehouse
 * connection pool per source, one connector and pacer per destination connection. Credentials
 * come from the worker's environment; nothing secret travels through the workflow engine.
 */
export class WorkerResources {
  readonly warehouses: WarehousePool
  private readonly connections = new Map<string, Promise<WorkerConnection>>()
  private readonly credentials: CredentialSource
  private readonly dispatcher: Dispatcher | undefined

  /** Told of each page delivered, for the worker's log. */
  readonly onPage: ((page: PageReport) => void) | undefined
  /** Told of each alert that could not be sent, for the worker's log. */
  private readonly onAlertWarning: ((warning: AlertWarning) => void) | undefined

  constructor(
    options: {
      credentials?: CredentialSource | undefined
      dispatcher?: Dispatcher | undefined
      onPage?: ((page: PageReport) => void) | undefined
      onAlertWarning?: ((warning: AlertWarning) => void) | undefined
    } = {},
  ) {
    this.credentials = options.credentials ?? process.env
    this.dispatcher = options.dispatcher
    this.onPage = options.onPage
    this.onAlertWarning = options.onAlertWarning
    this.warehouses = new WarehousePool(this.credentials)
  }

  /** The connection of `destination`, opened at first use; a changed connection spec opens anew. */
  connection(destination: DestinationSpec): Promise<WorkerConnection> {
    const id = JSON.stringify(destination)
    let connection = this.connections.get(id)
    if (connection === undefined) {
      connection = connectorFor(destination, { credentials: this.credentials, dispatcher: this.dispatcher }).then((connector) => ({
        connector,
        gate: workerGate(connector.rateLimits),
      }))
      // A failure (a missing credential) is not cached: the next activity tries again.
      connection.catch(() => this.connections.delete(id))
      this.connections.set(id, connection)
    }
    return connection
  }

  /**
   * Sends the alerts of a run that ended on this worker, as a local run does, and waits for them
   * (each bounded by its deadline): a run on workers alerts from the activity that ends it.
   */
  async alertRunEnd(runnable: RunnableSync, result: SyncRunResult): Promise<void> {
    const alerts = new AlertNotifier({ credentials: this.credentials, onWarning: this.onAlertWarning })
    alertRun(alerts, runnable, result, this.warehouses)
    await alerts.settled()
  }

  async close(): Promise<void> {
    await this.warehouses.closeAll()
  }
}
