import type { DeliveryLimits, DestinationConnector, RateLimit, RequestGate } from '../destinations/destination.js'
import { createRequestGate } from '../engine/request-gate.js'
import type { PageSizes } from '../warehouse/diff/paged-changes.js'

/*
 * How a destination's rate limit holds across any number of workers: each connection has a task
 * queue per rate-limit group, and its pages are sized to a known number of requests in that group
 * (about one second's worth at the limit). Workers tell the engine the queue's rate, the limit
 * divided by a page's requests, and the Temporal server hands out pages no faster, to all workers
 * together. Inside a page, a worker paces its requests half again as fast as the limit, so that a
 * page is over well before the engine hands out the next one, even on a busy machine: pages do not
 * overlap, and no window of the vendor's holds more than one page.
 *
 * A worker that stalls (a long pause of its process) can still make two pages meet in one of the
 * vendor's windows. The first 429 then stops the page: nothing more of it leaves, and the rest of
 * the page goes back to the queue, to be handed out again in turn. So a page stays a known number
 * of requests, retries inside it never add up to more than the limit, and a run at the limit keeps
 * its 429s to the few requests that were already on their way.
 *
 * A worker does not hold its connection after a 429, as one process does (`RequestGate.holdOff`):
 * the queue already keeps the pages' schedule, and a hold would keep the pages handed to this
 * worker in their turn waiting past it. Braze's reset time is in whole seconds, so the held pages
 * of every worker would set off together at a second's turn and meet in one window, again and
 * again (measured: half the rate for the first 20 seconds of a run, and a trail of rests after).
 */

/** A page holds about this long of requests at the group's limit. */
const PAGE_SECONDS = 1

/** The most requests a page makes: large pages are slow to give again when a worker dies. */
const MAX_PAGE_REQUESTS = 200

/** Spare time between pages, as a share of a page's interval: timers and networks jitter. */
const DISPATCH_MARGIN = 0.04

/** How much faster than the limit a worker paces the requests of a page (see above): a third of each interval to spare. */
export const PAGE_PACE = 1.5

/** A group with no declared limit: pages leave as fast as workers take them. */
const UNLIMITED: RateLimit = { group: 'default', requests: 10_000, perMs: 1000 }

/** The task queue of a destination connection's pages in one rate-limit group. */
export function deliveryQueueName(taskQueue: string, destination: string, group: string): string {
  return `${taskQueue}.deliver.${destination}.${group}`
}

/** A queue of pages: the rate-limit group they count against, what a page may make, how fast pages leave. */
export interface PageQueue {
  group: string
  /** Requests a page makes at most in `group` (retries aside). */
  requestsPerPage: number
  /** Pages a second the engine hands out on this queue, to every worker together. */
  pagesPerSecond: number
}

/** Requests a second a rate limit allows. */
function perSecond(limit: RateLimit): number {
  return (limit.requests * 1000) / limit.perMs
}

function queueOf(limit: RateLimit): PageQueue {
  const rate = perSecond(limit)
  const requestsPerPage = Math.min(MAX_PAGE_REQUESTS, Math.max(1, Math.floor(rate * PAGE_SECONDS)))
  return { group: limit.group, requestsPerPage, pagesPerSecond: rate / requestsPerPage / (1 + DISPATCH_MARGIN) }
}

function limitOf(connector: DestinationConnector, group: string): RateLimit {
  return connector.rateLimits.find((l) => l.group === group) ?? { ...UNLIMITED, group }
}

/** Every queue a destination connection's pages may use: one per rate-limit group it declares, and `default`. */
export function connectionQueues(connector: DestinationConnector): PageQueue[] {
  const groups = new Set([...connector.rateLimits.map((l) => l.group), 'default'])
  return [...groups].map((group) => queueOf(limitOf(connector, group)))
}

/**
 * The queue of pages whose batches make `requestsPerBatch` requests: the group that allows the
 * fewest batches a second (the binding one, when a batch calls several endpoints).
 */
export function pageQueueOf(connector: DestinationConnector, requestsPerBatch: Readonly<Record<string, number>>): PageQueue {
  let binding: { queue: PageQueue; batchesPerSecond: number } | undefined
  for (const [group, requests] of Object.entries(requestsPerBatch)) {
    const limit = limitOf(connector, group)
    const batchesPerSecond = perSecond(limit) / Math.max(1, requests)
    if (binding === undefined || batchesPerSecond < binding.batchesPerSecond) binding = { queue: queueOf(limit), batchesPerSecond }
  }
  return binding?.queue ?? queueOf(UNLIMITED)
}

/** Rows per page of upserts and of deletes, so that a page makes at most its queue's requests. */
export function pageSizesOf(connector: DestinationConnector, limits: DeliveryLimits): PageSizes {
  const rowsPerPage = (batchSize: number, requestsPerBatch: Readonly<Record<string, number>>) => {
    const queue = pageQueueOf(connector, requestsPerBatch)
    const requests = Math.max(1, requestsPerBatch[queue.group] ?? 1)
    return batchSize * Math.max(1, Math.floor(queue.requestsPerPage / requests))
  }
  const deletes = limits.deletes ?? { batchSize: limits.batchSize, requestsPerBatch: limits.requestsPerBatch }
  return {
    upsertRows: rowsPerPage(limits.batchSize, limits.requestsPerBatch),
    deleteRows: rowsPerPage(deletes.batchSize, deletes.requestsPerBatch),
  }
}

/** The gate of a worker's connection: paced by {@link workerPace}, and never held after a 429 (see above). */
export function workerGate(limits: readonly RateLimit[]): RequestGate {
  const gate = createRequestGate(workerPace(limits))
  return { acquire: (group) => gate.acquire(group) }
}

/** The limits a worker paces its own requests by: PAGE_PACE times the vendor's (see above). */
export function workerPace(limits: readonly RateLimit[]): RateLimit[] {
  return limits.map((limit) => ({ ...limit, perMs: limit.perMs / PAGE_PACE }))
}
