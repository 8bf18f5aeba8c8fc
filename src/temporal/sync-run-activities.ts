import { setTimeout as sleep } from 'node:timers/promises'

import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity'

import { objectDescriptorOf } from '../destinations/connector-support.js'
import { prepareRequestOf } from '../destinations/prepare-request.js'
import { isOutflowError } from '../errors.js'
import { FailureBreaker } from '../engine/failure-breaker.js'
import { FailureTally } from '../engine/failure-tally.js'
import { holdLease } from '../engine/held-lease.js'
import { createRecordMapper } from '../engine/map-record.js'
import { baseline, isSendBaseline, openRun, settledStatus } from '../engine/open-run.js'
import { deliverPageRows, type DeliveryTally, type PageDeferral } from '../engine/page-delivery.js'
import { ResultRecorder } from '../engine/result-recorder.js'
import { DEFAULT_RETRY_POLICY } from '../engine/retry-policy.js'
import { closeRun, describeError, runReason } from '../engine/run-ending.js'
import { emptyCounts, errorSummary, pendingResult, type SyncRunResult } from '../engine/sync-run-result.js'
import { TaskPool } from '../engine/task-pool.js'
import { recordRunEnd } from '../telemetry/record-run.js'
import { tracePage } from '../telemetry/trace-page.js'
import type { ChangeRow } from '../warehouse/diff/compute-diff.js'
import { dropChangePages, pageChangeSet, readChangePage } from '../warehouse/diff/paged-changes.js'
import { SyncStateStore } from '../warehouse/state/sync-state-store.js'
import { deliveryQueueName, pageQueueOf, pageSizesOf } from './delivery-queues.js'
import type {
  BegunRun,
  EndRunInput,
  PageInput,
  PageOutcome,
  RowRange,
  RunHandle,
  SyncRunActivities,
  SyncRunInput,
} from './sync-run-messages.js'
import type { WorkerResources } from './worker-resources.js'

/** How often a long activity tells the engine it is alive (the heartbeat timeout is a few times this). */
const HEARTBEAT_MS = 5000

/**
 * A page's first request leaves this long after the worker received the page, however quickly its
 * rows were read: requests then follow the engine's even handing out of pages, not the ups and
 * downs of a warehouse query, and a page never runs into the next one's window. Long enough for a
 * worker's first page, which opens its connections too (measured on 100,000 users: 0.84 of the
 * ceiling with 300 ms, 0.87 to 0.94 with this); it delays nothing but the first page of a run.
 */
const PAGE_LEAD_MS = 750

/**
 * The activities of a sync run, bound to one worker's resources. `beginRun` computes the change
 * set in the warehouse and numbers it in pages; `deliverPage` delivers one page, on whichever
 * worker is free, and records its results in the warehouse; `endRun` merges what was accepted
 * into the snapshot and records the run. The sync's lease is held by the workflow (its id is the
 * holder), renewed by whichever activity is running, so a local `outflow run` never runs the
 * same sync meanwhile.
 */
export function createSyncRunActivities(resources: WorkerResources): SyncRunActivities {
  return {
    beginRun: async (input) => {
      const begun = await beginRun(resources, input)
      if (begun.kind === 'ended') recordRunEnd(input.runnable, begun.result)
      return begun
    },
    deliverPage: (input) =>
      tracePage(input.handle.runnable, { runId: input.handle.runId, page: input.page }, () => deliverPage(resources, input)),
    endRun: async (input) => {
      const result = await endRun(resources, input)
      recordRunEnd(input.handle.runnable, result)
      return result
    },
  }
}

async function beginRun(resources: WorkerResources, input: SyncRunInput): Promise<BegunRun> {
  const { runnable } = input
  const { sync, source, destination } = runnable
  const started = Date.now()
  const result = pendingResult(sync)
  const holder = `temporal:${activityInfo().workflowExecution?.workflowId ?? sync.name}`
  const adapter = await resources.warehouses.get(source)
  const schema = source.connection.stateSchema
  const lease = await holdLease(adapter, schema, sync.name, holder, input.leaseTtlMs)
  if (lease === undefined) return { kind: 'ended', result: { ...result, status: 'skipped', skipped: 'another runner holds this sync' } }
  const state = new SyncStateStore(adapter, schema, sync.name)
  const beating = keepBeating()
  try {
    const { connector, gate } = await resources.connection(destination)
    const { changes, recorder, hadRejections } = await openRun(state, adapter, sync, result, input.resend)
    const handle: RunHandle = {
      runnable,
      runId: result.runId ?? '',
      holder,
      leaseTtlMs: input.leaseTtlMs,
      specHash: changes.specHash,
      pagesTable: '',
      columns: changes.plan.columns,
      hadRejections,
    }
    const total = changes.counts.added + changes.counts.changed + changes.counts.removed
    try {
      if (isSendBaseline(sync, changes)) await baseline(changes, recorder, result.counts)
      else if (total > 0) {
        const object = objectDescriptorOf(connector.catalog, sync.destination, sync.object)
        await connector.prepare(prepareRequestOf(sync, object), gate)
        const limits = connector.limits(sync.object)
        const paged = await pageChangeSet(adapter, schema, sync.name, changes, pageSizesOf(connector, limits))
        const upsertQueue = pageQueueOf(connector, limits.requestsPerBatch)
        const deleteQueue = pageQueueOf(connector, limits.deletes?.requestsPerBatch ?? limits.requestsPerBatch)
        await lease.keep()
        // The `finally` below writes the diff's refusals before the run goes on in pages.
        return {
          kind: 'pages',
          handle: { ...handle, pagesTable: paged.table },
          upsertPages: paged.upsertPages,
          deletePages: paged.deletePages,
          upsertQueue: deliveryQueueName(input.taskQueue, destination.name, upsertQueue.group),
          deleteQueue: deliveryQueueName(input.taskQueue, destination.name, deleteQueue.group),
          total,
          result: { ...result, durationMs: Date.now() - started },
        }
      }
    } finally {
      await recorder.drain()
    }
    // Nothing to deliver (or a `send` baseline): the run ends here.
    await state.mergePending(changes.specHash)
    result.status = settledStatus(result.counts)
  } catch (error) {
    result.error = errorSummary(error)
    result.status = 'failed'
  } finally {
    clearInterval(beating)
  }
  result.durationMs = Date.now() - started
  const reason = runReason(result, { trip: undefined, mainFailure: undefined })
  if (reason !== undefined) result.reason = reason
  await closeRun(state, result)
  await lease.release()
  await resources.alertRunEnd(runnable, result)
  return { kind: 'ended', result }
}

async function deliverPage(resources: WorkerResources, input: PageInput): Promise<PageOutcome> {
  const { handle } = input
  const { sync, source, destination } = handle.runnable
  const started = Date.now()
  const adapter = await resources.warehouses.get(source)
  const schema = source.connection.stateSchema
  const outcome: PageOutcome = {
    handled: 0,
    counts: emptyCounts(),
    deliveries: 0,
    retries: 0,
    rateLimited: 0,
    failures: [],
    streak: input.streak,
  }
  const lease = await holdLease(adapter, schema, sync.name, handle.holder, handle.leaseTtlMs)
  if (lease === undefined) {
    return { ...outcome, stopped: { code: 'LEASE_LOST', message: `the lease of sync "${sync.name}" was taken by another runner` } }
  }
  const beating = keepBeating()
  const breaker = new FailureBreaker(input.maxConsecutiveFailures, input.streak)
  const signal = AbortSignal.any([lease.lost, breaker.signal, cancellationSignal()])
  const state = new SyncStateStore(adapter, schema, sync.name)
  const recorder = new ResultRecorder({ state, runId: handle.runId, clearsRejections: handle.hadRejections })
  const failures = new FailureTally()
  const tally: DeliveryTally = { counts: outcome.counts, deliveries: 0, retries: 0, rateLimited: 0 }
  let rows = 0
  // Events are not handed back: their intents are written before they leave, and a 429 is retried here as in one process.
  const deferral: PageDeferral | undefined = sync.behavior !== 'send' ? { keys: [] } : undefined
  try {
    const { connector, gate } = await resources.connection(destination)
    const object = objectDescriptorOf(connector.catalog, sync.destination, sync.object)
    const limits = connector.limits(sync.object)
    const pageRows = await readChangePage(adapter, handle.pagesTable, input.page, handle.columns)
    const resumed = input.rest !== undefined
    // The rest of a page handed back after a 429: only its rows without a result.
    let send = input.rest === undefined ? pageRows : rowsIn(pageRows, input.rest)
    // A page given again (its worker died, or its answer was lost) skips what the first attempt recorded.
    if (activityInfo().attempt > 1) send = await skipRecorded(state, handle, send, outcome, recorder)
    rows = send.length
    await sleep(Math.max(0, started + PAGE_LEAD_MS - Date.now()), undefined, { signal })
    const pool = new TaskPool(limits.concurrency)
    try {
      await deliverPageRows(
        {
          sync,
          connector,
          gate,
          limits,
          map: createRecordMapper(sync, object, handle.columns),
          state,
          runId: handle.runId,
          recorder,
          pool,
          retry: DEFAULT_RETRY_POLICY,
          signal,
          breaker,
          failures,
          hadRejections: handle.hadRejections,
          tally,
          onHandled: (handled) => {
            outcome.handled += handled
            heartbeat()
          },
          deferral,
          resumed,
        },
        send,
      )
      await pool.drain()
      if (deferral !== undefined && deferral.keys.length > 0) outcome.rest = rangesOf(pageRows, deferral.keys)
    } catch (error) {
      await pool.drain().catch(() => undefined)
      throw error
    }
  } catch (error) {
    if (breaker.trip !== undefined && signal.reason === breaker.trip) {
      // Rows of this page not delivered are failed, for the next run to send.
      outcome.trip = breaker.trip
      outcome.counts.failed += Math.max(0, rows - outcome.handled)
    } else if (cancellationSignal().aborted || lease.lost.aborted || isStopping(error)) {
      outcome.stopped = describeError(error, signal)
    } else {
      // The warehouse or the process failed: the engine gives the page again, here or elsewhere.
      await recorder.drain().catch(() => undefined)
      throw error
    }
  } finally {
    clearInterval(beating)
    await lease.keep()
  }
  await recorder.drain()
  const { synced, rejected, failed, unknown } = outcome.counts
  resources.onPage?.({
    sync: sync.name,
    runId: handle.runId,
    page: input.page,
    attempt: activityInfo().attempt,
    rows: outcome.handled,
    synced,
    notSynced: rejected + failed + unknown,
    handedBack: deferral?.keys.length ?? 0,
    ms: Date.now() - started,
  })
  outcome.deliveries = tally.deliveries
  outcome.retries = tally.retries
  outcome.rateLimited = tally.rateLimited
  outcome.streak = breaker.streak
  const main = failures.main()
  if (main !== undefined) outcome.failures.push({ code: main.code, rows: outcome.counts.failed, message: main.message })
  return outcome
}

/**
 * Errors from the destination stop the whole run (refused credentials, a request wrong for every
 * record); others (the warehouse, the process) are the engine's to retry, here or on another worker.
 */
function isStopping(error: unknown): boolean {
  return isOutflowError(error) && error.code.startsWith('DESTINATION_')
}

/**
 * Leaves out the rows an earlier attempt of this page recorded: accepted rows count as synced;
 * events whose intent was written are of unknown outcome and never sent again.
 */
async function skipRecorded(
  state: SyncStateStore,
  handle: RunHandle,
  rows: readonly ChangeRow[],
  outcome: PageOutcome,
  recorder: ResultRecorder,
): Promise<ChangeRow[]> {
  const recorded = await state.resultsInRun(
    handle.runId,
    rows.map((row) => row.key),
  )
  const isSend = handle.runnable.sync.behavior === 'send'
  const left: ChangeRow[] = []
  const unknown: { key: string; reason: string }[] = []
  for (const row of rows) {
    const found = recorded.get(row.key)
    if (found === undefined) left.push(row)
    else if (found === 'accepted') outcome.counts.synced++
    else if (found === 'rejected') outcome.counts.rejected++
    else if (isSend)
      unknown.push({
        key: row.key,
        reason: 'outcome unknown: the worker sending this event stopped; not sent again, so that it cannot arrive twice',
      })
    else left.push(row)
  }
  outcome.counts.unknown += unknown.length
  outcome.handled += rows.length - left.length
  recorder.reject(unknown)
  return left
}

async function endRun(resources: WorkerResources, input: EndRunInput): Promise<SyncRunResult> {
  const { handle } = input
  const { sync, source } = handle.runnable
  const result: SyncRunResult = { ...input.result }
  const adapter = await resources.warehouses.get(source)
  const schema = source.connection.stateSchema
  const state = new SyncStateStore(adapter, schema, sync.name)
  const lease = await holdLease(adapter, schema, sync.name, handle.holder, handle.leaseTtlMs)
  try {
    if (lease === undefined) {
      result.error ??= { code: 'LEASE_LOST', message: `the lease of sync "${sync.name}" was taken by another runner` }
    } else if (result.error === undefined && !input.cancelled) {
      // As in one process: a run that did not finish leaves its accepted rows for the next run to merge.
      await state.mergePending(handle.specHash)
    }
    if (input.cancelled) result.status = 'cancelled'
    else if (result.error !== undefined) result.status = 'failed'
    else result.status = settledStatus(result.counts)
  } catch (error) {
    result.error = errorSummary(error)
    result.status = 'failed'
  }
  const reason = runReason(result, { trip: input.trip, mainFailure: input.mainFailure })
  if (reason !== undefined) result.reason = reason
  await closeRun(state, result)
  await dropChangePages(adapter, schema, sync.name).catch(() => undefined)
  await lease?.release()
  await resources.alertRunEnd(handle.runnable, result)
  return result
}

/** The rows of `ranges`, in page order. */
function rowsIn(rows: readonly ChangeRow[], ranges: readonly RowRange[]): ChangeRow[] {
  return ranges.flatMap(([start, end]) => rows.slice(start, end))
}

/**
 * The rows of `keys` (those handed back after a 429) as ranges of their places in the page: whole
 * batches, so a few ranges, and numbers rather than keys in the engine's history.
 */
function rangesOf(rows: readonly ChangeRow[], keys: readonly string[]): RowRange[] {
  const handedBack = new Set(keys)
  const ranges: RowRange[] = []
  rows.forEach((row, index) => {
    if (!handedBack.has(row.key)) return
    const last = ranges.at(-1)
    if (last !== undefined && last[1] === index) last[1] = index + 1
    else ranges.push([index, index + 1])
  })
  return ranges
}

/** Heartbeats while a long statement runs (the diff of a large model), so the engine knows the worker lives. */
function keepBeating(): NodeJS.Timeout {
  heartbeat()
  const timer = setInterval(() => heartbeat(), HEARTBEAT_MS)
  timer.unref()
  return timer
}
