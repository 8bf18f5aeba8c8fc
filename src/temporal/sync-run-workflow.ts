import {
  ActivityFailure,
  CancellationScope,
  continueAsNew,
  defineQuery,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'

import type { SyncRunCounts, SyncRunResult } from '../engine/sync-run-result.js'
import type { BegunRun, FailureStreak, PageOutcome, RowRange, SyncRunActivities, SyncRunInput } from './sync-run-messages.js'

/*
 * A sync run as a workflow: code the engine replays, so it only decides; the activities do the
 * work, reading and writing the warehouse. Nothing here may import anything but the workflow
 * package and types.
 */

/** Where a run is, for `outflow run` to show progress: rows with a result, of the rows to deliver. */
export interface SyncRunProgress {
  done: number
  total: number
  counts: SyncRunCounts
}

export const progressQuery = defineQuery<SyncRunProgress>('progress')

/** A run's delivery so far, carried into the next history when the workflow continues as new. */
export interface CarriedRun {
  begun: Extract<BegunRun, { kind: 'pages' }>
  next: number
  handled: number
  result: SyncRunResult
  failures: Record<string, { rows: number; message: string }>
  streak: FailureStreak | undefined
  /** Pages handed back after a 429, and the rows of each left to send: handed out before any new page. */
  pending: PageRest[]
}

/** The rest of a page handed back after a 429: the rows of `rest`. */
interface PageRest {
  page: number
  rest: RowRange[]
}

/** Pages dispatched and not yet answered: enough to keep every free worker busy within the queue's rate. */
const PAGES_IN_FLIGHT = 16

/** History events a page costs, about: scheduled, started, completed, and a workflow task around it. */
const EVENTS_PER_PAGE = 6

/** History events after which the run continues in a fresh history, unless the input says otherwise. */
const HISTORY_EVENTS = 10_000

const { beginRun, endRun } = proxyActivities<SyncRunActivities>({
  // The diff of a large model takes minutes; the activity heartbeats meanwhile.
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
})

function pageActivities(taskQueue: string): Pick<SyncRunActivities, 'deliverPage'> {
  return proxyActivities<SyncRunActivities>({
    taskQueue,
    startToCloseTimeout: '1 hour',
    // A worker killed mid-page is noticed within this, and its page is given to another worker
    // (pages heartbeat every 5 s, and after each batch).
    heartbeatTimeout: '15 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
  })
}

/**
 * Runs one sync: `beginRun` computes and pages the change set; the pages go to the destination
 * connection's task queues, at most PAGES_IN_FLIGHT at a time, taken by whichever workers are
 * free at the rate the queue allows; `endRun` merges and records the run. The workflow id is
 * the sync's, so the engine keeps one run per sync at a time.
 */
export async function syncRunWorkflow(input: SyncRunInput, carried?: CarriedRun): Promise<SyncRunResult> {
  const begun = carried?.begun ?? (await beginRun(input))
  if (begun.kind === 'ended') return begun.result
  // A run carried from a history written before pages could be handed back has no `pending`.
  const run: CarriedRun =
    carried === undefined
      ? { begun, next: 0, handled: 0, result: begun.result, failures: {}, streak: undefined, pending: [] }
      : { ...carried, pending: 'pending' in carried ? carried.pending : [] }
  setHandler(progressQuery, () => ({ done: run.handled, total: begun.total, counts: run.result.counts }))
  const pages = begun.upsertPages + begun.deletePages
  const upserts = pageActivities(begun.upsertQueue)
  const deletes = pageActivities(begun.deleteQueue)
  const started = Date.now()
  let trip: PageOutcome['trip']
  let cancelled = false
  const stop = () => trip !== undefined || run.result.error !== undefined
  const historyEvents = input.historyEvents ?? HISTORY_EVENTS
  // The pages in flight must fit in what is left of the history when it is time to continue as new.
  const pagesInFlight = Math.max(1, Math.min(PAGES_IN_FLIGHT, Math.floor(historyEvents / (4 * EVENTS_PER_PAGE))))
  try {
    await CancellationScope.cancellable(async () => {
      const inFlight = new Map<number, Promise<void>>()
      let dispatched = 0
      const dispatch = ({ page, rest }: { page: number; rest?: RowRange[] | undefined }) => {
        const id = dispatched++
        const queue = page < begun.upsertPages ? upserts : deletes
        const delivery = queue
          .deliverPage({
            handle: begun.handle,
            page,
            maxConsecutiveFailures: input.maxConsecutiveFailures,
            streak: run.streak,
            ...(rest === undefined ? {} : { rest }),
          })
          .then(
            (outcome) => {
              trip ??= addOutcome(run, outcome, input.maxConsecutiveFailures)
              if (outcome.stopped !== undefined) run.result.error ??= outcome.stopped
              // The vendor's window was spent (another worker's page ran late): the rest waits for
              // its turn in the queue, so that every worker together stays at the limit. It goes
              // alone, not topped up with the next rows to a full page: a 429 says workers run late,
              // and a lighter turn lets them catch up (topped up, a million-user run met three times
              // as many 429s and delivered less).
              else if (outcome.rest !== undefined) run.pending.push({ page, rest: outcome.rest })
            },
            (error: unknown) => {
              if (isCancellation(error)) throw error
              run.result.error ??= { code: 'UNKNOWN', message: `page ${page}: ${failureMessage(error)}` }
            },
          )
          .finally(() => inFlight.delete(id))
        inFlight.set(id, delivery)
      }
      const more = () => run.pending.length > 0 || run.next < pages
      while (!stop() && workflowInfo().historyLength < historyEvents && (more() || inFlight.size > 0)) {
        if (inFlight.size >= pagesInFlight || !more()) await Promise.race(inFlight.values())
        else dispatch(run.pending.shift() ?? { page: run.next++ })
      }
      await Promise.all(inFlight.values())
    })
  } catch (error) {
    if (!isCancellation(error)) throw error
    cancelled = true
  }
  run.result.durationMs += Date.now() - started
  if (!cancelled && !stop() && (run.next < pages || run.pending.length > 0)) return continueAsNew<typeof syncRunWorkflow>(input, run)
  if (trip !== undefined) run.result.counts.failed += Math.max(0, begun.total - run.handled)
  const main = Object.entries(run.failures).sort((a, b) => b[1].rows - a[1].rows)[0]
  // The end is recorded even when the run is cancelled.
  return CancellationScope.nonCancellable(() =>
    endRun({
      handle: begun.handle,
      result: run.result,
      trip,
      mainFailure: main === undefined ? undefined : { code: main[0], message: main[1].message },
      cancelled,
    }),
  )
}

/** Adds a page's outcome to the run; resolves to the breaker's trip when the run must stop. */
function addOutcome(run: CarriedRun, outcome: PageOutcome, maxConsecutiveFailures: number): PageOutcome['trip'] {
  const counts = run.result.counts
  for (const key of Object.keys(counts) as (keyof SyncRunCounts)[]) counts[key] += outcome.counts[key]
  run.handled += outcome.handled
  run.result.deliveries += outcome.deliveries
  run.result.retries += outcome.retries
  run.result.rateLimited += outcome.rateLimited
  for (const failure of outcome.failures) {
    const entry = (run.failures[failure.code] ??= { rows: 0, message: failure.message })
    entry.rows += failure.rows
  }
  run.streak = outcome.streak
  if (outcome.trip !== undefined) return outcome.trip
  const streak = outcome.streak
  if (maxConsecutiveFailures > 0 && streak !== undefined && streak.count >= maxConsecutiveFailures) {
    return { code: streak.code, failures: streak.count, message: streak.message }
  }
  return undefined
}

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error
  return cause instanceof Error ? cause.message : String(cause)
}
