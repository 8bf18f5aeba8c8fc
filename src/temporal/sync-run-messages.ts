import type { BreakerTrip } from '../engine/failure-breaker.js'
import type { RunnableSync } from '../engine/runnable-sync.js'
import type { SyncRunCounts, SyncRunResult } from '../engine/sync-run-result.js'
import type { Resend } from '../warehouse/diff/resend.js'

/*
 * What a sync run's workflow and its activities pass each other through the workflow engine: small
 * values only (names, counts, page numbers). Rows stay in the warehouse.
 */

/** The input of a sync run's workflow. */
export interface SyncRunInput {
  /** The sync with its source and destination specs (credentials are references, resolved by workers). */
  runnable: RunnableSync
  /** The workers' task queue; each destination connection's pages go to queues named after it. */
  taskQueue: string
  leaseTtlMs: number
  /** Requests in a row failing for one cause before the run stops; 0 never stops. */
  maxConsecutiveFailures: number
  /** History events after which the workflow continues as new (the engine's limit is about 50,000). */
  historyEvents?: number
  /** Rows to send whatever the snapshot holds: every row, or those of some keys (at most 1000); unset: the changes. */
  resend?: Resend
}

/** A run under way: what every page activity needs to find its rows and record its results. */
export interface RunHandle {
  runnable: RunnableSync
  runId: string
  /** Who holds the sync's lease: the workflow, whichever worker runs its activities. */
  holder: string
  leaseTtlMs: number
  specHash: string
  /** The paged change set's table and the model's mapped columns. */
  pagesTable: string
  columns: string[]
  hadRejections: boolean
}

/** How `beginRun` ended: a run to deliver in pages, or a result already (skipped, nothing to send, failed). */
export type BegunRun =
  | {
      kind: 'pages'
      handle: RunHandle
      /** Pages `0 … upsertPages - 1` go to `upsertQueue`, the `deletePages` after them to `deleteQueue`. */
      upsertPages: number
      deletePages: number
      upsertQueue: string
      deleteQueue: string
      /** Rows to deliver, across every page. */
      total: number
      result: SyncRunResult
    }
  | { kind: 'ended'; result: SyncRunResult }

/** A run of failures for one cause, carried from page to page (the run's breaker). */
export interface FailureStreak {
  code: BreakerTrip['code']
  count: number
  message: string
}

/** The input of one page's delivery. */
export interface PageInput {
  handle: RunHandle
  page: number
  maxConsecutiveFailures: number
  /** The failures in a row when the page was dispatched. */
  streak: FailureStreak | undefined
  /**
   * Set when the page is the rest of one handed back after a 429: only the rows of these ranges
   * are sent (the others got their result, and were counted, in an earlier turn).
   */
  rest?: RowRange[]
}

/**
 * Rows of a page by their place in it, from `start` up to but not including `end`: a rest handed
 * back after a 429 is a few of these (whole batches), so it travels through the engine's history
 * as numbers, never as keys, and its rows need no lookup in the warehouse.
 */
export type RowRange = [start: number, end: number]

/** What one page delivered. */
export interface PageOutcome {
  /** Rows of the page that got a result (or were found handled by an earlier attempt). */
  handled: number
  counts: SyncRunCounts
  deliveries: number
  retries: number
  rateLimited: number
  /** Failed rows by cause, with one message each. */
  failures: { code: string; rows: number; message: string }[]
  streak: FailureStreak | undefined
  /**
   * The vendor answered 429 and the page stopped sending: the rows of these ranges have no result,
   * and go through the queue again as the page's rest.
   */
  rest?: RowRange[]
  /** The breaker tripped in this page: the run stops taking pages. */
  trip?: BreakerTrip
  /** Delivery stopped for a reason that stops the run (refused credentials, a lost lease). */
  stopped?: NonNullable<SyncRunResult['error']>
}

/** The input of `endRun`: the run and what its pages added up to. */
export interface EndRunInput {
  handle: RunHandle
  result: SyncRunResult
  trip: BreakerTrip | undefined
  mainFailure: { code: string; message: string } | undefined
  /** The workflow was cancelled: no more pages were taken. */
  cancelled: boolean
}

/** The activities a sync run's workflow calls, as workers implement them. */
export interface SyncRunActivities {
  beginRun: (input: SyncRunInput) => Promise<BegunRun>
  deliverPage: (input: PageInput) => Promise<PageOutcome>
  endRun: (input: EndRunInput) => Promise<SyncRunResult>
}
