import type { Rejection } from '../warehouse/state/rejected-rows.js'
import type { AcceptedRow } from '../warehouse/state/snapshot.js'
import type { SyncStateStore } from '../warehouse/state/sync-state-store.js'

/** Where a run's results are written: the sync's state in its source warehouse. */
export interface RecorderTarget {
  state: SyncStateStore
  runId: string
  /** Whether the sync had rejected rows when the run began: only then are accepted keys cleared from them. */
  clearsRejections: boolean
}

/** Rows handed over and not yet written beyond which delivery waits for the warehouse. */
const MAX_WAITING = 50_000

/**
 * Writes results as they come, in the background, one transaction at a time: whatever arrived
 * while the previous write ran goes into the next one. Under load that groups many batches per
 * transaction; when idle, each batch is written as soon as it is delivered. Delivery never waits
 * for a write, except in {@link drain}; a failed write fails the run at the next call.
 */
export class ResultRecorder {
  private accepted: AcceptedRow[] = []
  private rejections: Rejection[] = []
  private writing: Promise<void> | undefined
  private failure: Error | undefined
  private readonly target: RecorderTarget

  constructor(target: RecorderTarget) {
    this.target = target
  }

  /** Rows the destination took (or events whose intent is withdrawn: `op: 'delete'`, `hash: null`). */
  accept(rows: readonly AcceptedRow[]): void {
    this.throwIfFailed()
    this.accepted.push(...rows)
    this.schedule()
  }

  /** Rows refused, before sending or by the destination, with their reasons. */
  reject(rows: readonly Rejection[]): void {
    this.throwIfFailed()
    this.rejections.push(...rows)
    this.schedule()
  }

  /**
   * Resolves when the rows waiting to be written are few enough: delivery that outruns the
   * warehouse waits here, so memory stays bounded however large the run.
   */
  async room(): Promise<void> {
    while (this.failure === undefined && this.accepted.length + this.rejections.length > MAX_WAITING && this.writing !== undefined) {
      await this.writing
    }
    this.throwIfFailed()
  }

  /** Waits until everything handed over is written. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.writing !== undefined) await this.writing
      else if (this.failure === undefined && this.hasWaiting()) this.schedule()
      else break
    }
    this.throwIfFailed()
  }

  private hasWaiting(): boolean {
    return this.accepted.length > 0 || this.rejections.length > 0
  }

  private schedule(): void {
    if (this.writing !== undefined) return
    this.writing = this.writeAll().finally(() => {
      this.writing = undefined
      // Results handed over between the last write's end and now would otherwise wait for the next batch.
      if (this.failure === undefined && this.hasWaiting()) this.schedule()
    })
  }

  private async writeAll(): Promise<void> {
    const { state, runId } = this.target
    try {
      while (this.hasWaiting()) {
        const accepted = this.accepted
        const rejections = this.rejections
        this.accepted = []
        this.rejections = []
        await state.recordAccepted(accepted, runId)
        await state.recordRejected(runId, rejections)
        const confirmed = accepted.filter((row) => row.hash !== null).map((row) => row.key)
        if (this.target.clearsRejections && confirmed.length > 0) await state.clearRejected(confirmed)
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error))
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure
  }
}
