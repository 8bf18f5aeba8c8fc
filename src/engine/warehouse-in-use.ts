import { setTimeout as sleep } from 'node:timers/promises'

import { isOutflowError, OutflowError } from '../errors.js'

/** Options of {@link openWhenFree}. */
export interface WaitForWarehouseOptions {
  /**
   * How long to keep trying while another process holds the warehouse (an embedded DuckDB file
   * another `outflow run` has open). 0 gives up at once.
   * @default 0
   */
  waitMs?: number
  /** Stops the waiting (Ctrl+C); the last in-use error is thrown. */
  signal?: AbortSignal
}

/** First pause between attempts; it doubles up to {@link LONGEST_PAUSE_MS}. */
const FIRST_PAUSE_MS = 250
const LONGEST_PAUSE_MS = 2000

/** True when `error` says another process holds the warehouse (`WAREHOUSE_IN_USE`). */
export function isWarehouseInUse(error: unknown): error is OutflowError {
  return isOutflowError(error) && error.code === 'WAREHOUSE_IN_USE'
}

/**
 * Opens a source's warehouse with `open`, trying again while another process holds it, for up to
 * `waitMs`. Any other failure is thrown at once. An in-use error that outlasts the wait is thrown
 * naming the source, and how long it waited.
 */
export async function openWhenFree<T>(source: string, open: () => Promise<T>, options: WaitForWarehouseOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? 0
  const deadline = Date.now() + waitMs
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return await open()
    } catch (error) {
      if (!isWarehouseInUse(error)) throw error
      const left = deadline - Date.now()
      if (left <= 0 || options.signal?.aborted === true) throw stillInUse(source, error, waitMs)
      await sleep(Math.min(pause, left), undefined, { signal: options.signal }).catch(() => undefined)
    }
  }
}

function stillInUse(source: string, error: OutflowError, waitMs: number): OutflowError {
  const waited = waitMs > 0 ? ` (waited ${String(Math.round(waitMs / 1000))} s)` : ''
  return new OutflowError('WAREHOUSE_IN_USE', `source "${source}": ${error.message}${waited}`, { cause: error, retryable: true })
}
