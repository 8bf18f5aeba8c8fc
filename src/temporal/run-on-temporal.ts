import { setTimeout as sleep } from 'node:timers/promises'

import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client'

import { isOutflowError } from '../errors.js'
import { DEFAULT_MAX_CONSECUTIVE_FAILURES } from '../engine/failure-breaker.js'
import type { SyncProgress } from '../engine/run-sync.js'
import type { RunnableSync } from '../engine/runnable-sync.js'
import { errorSummary, pendingResult, type SyncRunResult } from '../engine/sync-run-result.js'
import type { Resend } from '../warehouse/diff/resend.js'
import type { SyncRunInput } from './sync-run-messages.js'
import type { SyncRunProgress, syncRunWorkflow } from './sync-run-workflow.js'
import { withTemporalClient } from './temporal-client.js'
import { unreachable, type ResolvedTemporal } from './temporal-settings.js'

/** Options of {@link runSyncsOnTemporal}: the same knobs as a local run. */
export interface TemporalRunOptions {
  temporal: ResolvedTemporal
  leaseTtlMs?: number
  maxConsecutiveFailures?: number
  /** Aborting cancels the runs this call started: pages in flight finish and are recorded; they end `cancelled`. */
  signal?: AbortSignal
  onProgress?: (progress: SyncProgress) => void
  onResult?: (result: SyncRunResult) => void
  /** Rows to send whatever the snapshot holds, as in a local run (`--full-resync`, `--keys`). */
  resend?: Resend
}

/** How often a waiting client asks a run for its progress. */
const PROGRESS_MS = 1000

/**
 * Runs syncs on the workers: one workflow per sync, whose id is the sync's, so that the engine
 * itself refuses a second run of a sync under way (that sync is `skipped`, as with a held lease).
 * Waits for each run and resolves to the same results a local run gives, in the order given.
 */
export async function runSyncsOnTemporal(runnables: readonly RunnableSync[], options: TemporalRunOptions): Promise<SyncRunResult[]> {
  return withTemporalClient(options.temporal, (client) =>
    Promise.all(
      runnables.map(async (runnable) => {
        const result = await runOne(client, runnable, options)
        options.onResult?.(result)
        return result
      }),
    ),
  )
}

/** The workflow id of a sync's runs: one per sync and source, in a namespace. */
export function syncWorkflowId(runnable: RunnableSync): string {
  return `outflow/${runnable.source.name}/${runnable.sync.name}`
}

/** The input of a sync's run workflow. */
export function syncRunInput(
  runnable: RunnableSync,
  options: Pick<TemporalRunOptions, 'temporal' | 'leaseTtlMs' | 'maxConsecutiveFailures' | 'resend'>,
): SyncRunInput {
  // OUTFLOW_TEMPORAL_HISTORY_EVENTS: when a run's workflow continues as new (10,000 events by default).
  const historyEvents = Number(process.env['OUTFLOW_TEMPORAL_HISTORY_EVENTS'] ?? '')
  return {
    runnable,
    taskQueue: options.temporal.taskQueue,
    leaseTtlMs: options.leaseTtlMs ?? 60_000,
    maxConsecutiveFailures: options.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES,
    ...(Number.isInteger(historyEvents) && historyEvents >= 20 ? { historyEvents } : {}),
    ...(options.resend === undefined ? {} : { resend: options.resend }),
  }
}

async function runOne(client: Client, runnable: RunnableSync, options: TemporalRunOptions): Promise<SyncRunResult> {
  const workflowId = syncWorkflowId(runnable)
  let handle: WorkflowHandle<typeof syncRunWorkflow>
  try {
    handle = await client.workflow.start<typeof syncRunWorkflow>('syncRunWorkflow', {
      taskQueue: options.temporal.taskQueue,
      workflowId,
      args: [syncRunInput(runnable, options)],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    })
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      return {
        ...pendingResult(runnable.sync),
        status: 'skipped',
        skipped: `a run of this sync is under way on the workers (workflow ${workflowId})`,
      }
    }
    return failed(runnable, isOutflowError(error) ? errorSummary(error) : errorSummary(unreachable(options.temporal, error)))
  }
  const cancel = () => void handle.cancel().catch(() => undefined)
  options.signal?.addEventListener('abort', cancel, { once: true })
  const done = new AbortController()
  const watching = watchProgress(handle, runnable, options, done.signal)
  try {
    return await handle.result()
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      // The workflow itself failed (an activity that kept failing past its retries, a cancelled run's end).
      const cause = error.cause instanceof Error ? error.cause.message : error.message
      return failed(runnable, { code: 'INTERNAL', message: `run ${workflowId} failed on the workers: ${cause}` })
    }
    const message = error instanceof Error ? error.message : String(error)
    return failed(runnable, {
      code: 'WORKFLOW_ENGINE_UNAVAILABLE',
      message: `lost the Temporal server at ${options.temporal.address} while run ${workflowId} was under way (${message}); what was delivered is recorded, and the next run goes on from there once the lease of the sync expires`,
    })
  } finally {
    done.abort()
    options.signal?.removeEventListener('abort', cancel)
    await watching
  }
}

/** Asks the run for its progress while it goes, for the progress bar or log lines. */
async function watchProgress(
  handle: WorkflowHandle<typeof syncRunWorkflow>,
  runnable: RunnableSync,
  options: TemporalRunOptions,
  stop: AbortSignal,
): Promise<void> {
  if (options.onProgress === undefined) return
  while (!stop.aborted) {
    try {
      await sleep(PROGRESS_MS, undefined, { signal: stop })
      const progress: SyncRunProgress = await handle.query<SyncRunProgress>('progress')
      options.onProgress({ sync: runnable.sync.name, done: progress.done, total: progress.total, counts: progress.counts })
    } catch {
      // Not begun yet (no pages), over, or the server is busy: the next tick asks again.
    }
  }
}

function failed(runnable: RunnableSync, error: NonNullable<SyncRunResult['error']>): SyncRunResult {
  return { ...pendingResult(runnable.sync), error, reason: `${error.code}: ${error.message}` }
}
