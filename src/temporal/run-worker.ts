import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker'

import type { DestinationSpec } from '../model/spec-types.js'
import { connectionQueues, deliveryQueueName } from './delivery-queues.js'
import { createSyncRunActivities } from './sync-run-activities.js'
import { unreachable, type ResolvedTemporal } from './temporal-settings.js'
import type { WorkerResources } from './worker-resources.js'

/** How often a worker looks for destinations added since it started (a `pulumi up` adds them). */
const DISCOVERY_MS = 30_000

/** What a worker reports as it goes, for its log. */
export type WorkerEvent =
  | { event: 'worker_started'; taskQueue: string; namespace: string; address: string }
  | { event: 'queue_polled'; taskQueue: string; destination: string; group: string; pagesPerSecond: number }
  | { event: 'discovery_failed'; message: string }
  | { event: 'worker_stopped' }

export interface RunWorkerOptions {
  temporal: ResolvedTemporal
  resources: WorkerResources
  /** The destination connections whose pages this worker delivers; asked again every 30 s for new ones. */
  destinations: () => Promise<DestinationSpec[]>
  /** Stops the worker: activities under way finish first. */
  signal: AbortSignal
  /** Pages this process delivers at once on each queue (the queue's rate holds across all workers anyway). */
  pagesAtOnce?: number
  onEvent?: (event: WorkerEvent) => void
  /** Where the Temporal SDK's own warnings and errors go (by default, its console logger). */
  onSdkLog?: (level: 'warn' | 'error', message: string) => void
}

/**
 * Runs a worker until `signal` aborts: one Temporal worker on the task queue that hosts sync runs
 * (their workflows, the diff and the end of each run), and one per rate-limit group of every
 * destination connection, each telling the engine the queue's rate (`maxTaskQueueActivitiesPerSecond`,
 * enforced by the server for all workers together). Any number of these processes may run, on
 * any number of machines.
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const { temporal, resources, signal } = options
  quietRuntime(options.onSdkLog)
  let connection: NativeConnection
  try {
    connection = await NativeConnection.connect(temporal.connect.connectionOptions)
  } catch (error) {
    throw unreachable(temporal, error)
  }
  const activities = createSyncRunActivities(resources)
  const running: Promise<void>[] = []
  const workers: Worker[] = []
  const polled = new Set<string>()
  const start = (worker: Worker) => {
    workers.push(worker)
    running.push(worker.run())
  }
  try {
    start(
      await Worker.create({
        connection,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        workflowsPath: workflowsPath(),
        activities: { beginRun: activities.beginRun, endRun: activities.endRun },
      }),
    )
    options.onEvent?.({ event: 'worker_started', taskQueue: temporal.taskQueue, namespace: temporal.namespace, address: temporal.address })
    const discover = async () => {
      for (const destination of await options.destinations()) {
        const { connector } = await resources.connection(destination)
        for (const queue of connectionQueues(connector)) {
          const taskQueue = deliveryQueueName(temporal.taskQueue, destination.name, queue.group)
          if (polled.has(taskQueue)) continue
          polled.add(taskQueue)
          start(
            await Worker.create({
              connection,
              namespace: temporal.namespace,
              taskQueue,
              activities: { deliverPage: activities.deliverPage },
              maxTaskQueueActivitiesPerSecond: queue.pagesPerSecond,
              maxConcurrentActivityTaskExecutions: options.pagesAtOnce ?? 4,
            }),
          )
          options.onEvent?.({
            event: 'queue_polled',
            taskQueue,
            destination: destination.name,
            group: queue.group,
            pagesPerSecond: queue.pagesPerSecond,
          })
        }
      }
    }
    await discover()
    const timer = setInterval(() => {
      discover().catch((error: unknown) =>
        options.onEvent?.({ event: 'discovery_failed', message: error instanceof Error ? error.message : String(error) }),
      )
    }, DISCOVERY_MS)
    try {
      await Promise.race([new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })), ...running])
    } finally {
      clearInterval(timer)
    }
  } finally {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown()
    await Promise.allSettled(running)
    await connection.close()
    options.onEvent?.({ event: 'worker_stopped' })
  }
}

/** The workflow module: compiled JavaScript in the package, TypeScript when run from source. */
function workflowsPath(): string {
  const compiled = fileURLToPath(new URL('./sync-run-workflow.js', import.meta.url))
  return existsSync(compiled) ? compiled : fileURLToPath(new URL('./sync-run-workflow.ts', import.meta.url))
}

/**
 * The SDK logs every worker state change and its workflow bundle at INFO; a worker's own log
 * says what matters, so the SDK's is kept to warnings and errors. Installed once per process.
 */
function quietRuntime(onSdkLog: RunWorkerOptions['onSdkLog']): void {
  const logger =
    onSdkLog === undefined
      ? new DefaultLogger('WARN')
      : new DefaultLogger('WARN', (entry) => {
          const detail = entry.meta?.['error'] === undefined ? '' : `: ${String(entry.meta['error'])}`
          onSdkLog(entry.level === 'ERROR' ? 'error' : 'warn', `${entry.message}${detail}`)
        })
  try {
    Runtime.install({
      logger,
      // The SDK's native core logs through the same logger, as plain lines, not to the console on its own.
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    })
  } catch {
    // Already installed (a second worker in this process, or an embedding application's choice).
  }
}
