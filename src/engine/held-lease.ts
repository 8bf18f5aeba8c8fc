import { OutflowError } from '../errors.js'
import { acquireLease, releaseLease, renewLease } from '../warehouse/state/leases.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'

/** A sync's lease while a run holds it. */
export interface HeldLease {
  /** Aborts when a renewal finds the lease taken by another runner: stop sending at once. */
  readonly lost: AbortSignal
  /** Stops renewing and gives the lease up. */
  release(): Promise<void>
  /** Stops renewing and keeps the lease until it expires: a worker's activity ends, the run goes on elsewhere. */
  keep(): Promise<void>
}

/**
 * Takes a sync's lease and keeps it: renewed every third of its time to live, so a runner that
 * dies (SIGKILL, a lost machine) frees the sync within `ttlMs`, while a live one keeps it however
 * long the run takes. Resolves to undefined when another runner holds it.
 */
export async function holdLease(
  adapter: WarehouseAdapter,
  schema: string,
  sync: string,
  holder: string,
  ttlMs: number,
): Promise<HeldLease | undefined> {
  if (!(await acquireLease(adapter, schema, sync, holder, ttlMs))) return undefined
  const lost = new AbortController()
  let renewing: Promise<void> = Promise.resolve()
  const timer = setInterval(
    () => {
      renewing = renewLease(adapter, schema, sync, holder, ttlMs).then(
        (kept) => {
          if (!kept) lost.abort(new OutflowError('LEASE_LOST', `the lease of sync "${sync}" was taken by another runner`))
        },
        // A failed renewal is retried at the next tick; the lease lasts three ticks.
        () => undefined,
      )
    },
    Math.max(10, Math.floor(ttlMs / 3)),
  )
  timer.unref()
  return {
    lost: lost.signal,
    async release() {
      clearInterval(timer)
      await renewing
      await releaseLease(adapter, schema, sync, holder)
    },
    async keep() {
      clearInterval(timer)
      await renewing
    },
  }
}
