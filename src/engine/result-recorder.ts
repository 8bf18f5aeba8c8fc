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

/** Rows worth a transaction at once; fewer wait up to {@link LINGER_MS} for more to share it. */
const MIN_WRITE = 10_000

/**
 * How long results wait for more before they are written: each transaction costs a statement, a
 * commit and a log flush whatever its size, so a fast run writes a few large ones a second rather
 * than one per batch. Short, because what a crash has not recorded the next run sends again (and
 * a `send` event sent but not confirmed is reported as of unknown outcome).
 */
const LINGER_MS = 200

/**
 * Writes results as they come, in the background, one transaction at a time: whatever arrived
 * while the previous write ran, or within {@link LINGER_MS} of the first result waiting, goes into
 * the next one. Under load that groups many batches per transaction; when idle, each batch is
 * written shortly after it is delivered. Delivery never waits for a write, except in
 * {@link room} and {@link drain}; a failed write fails the run at the next call.
 */
export class ResultRecorder {
  private accepted: AcceptedRow[] = []
  private rejections: Rejection[] = []
  private writing: Promise<void> | undefined
  private lingering: ReturnType<typeof setTimeout> | undefined
  /** Set while draining: what waits is written at once. */
  private draining = false
  private failure: Error | undefined
  private readonly target: RecorderTarget

  constructor(target: RecorderTarget) {
    this.target = target
  }

  /** Rows the destination took (or events whose intent is withdrawn: `op: 'delete'`, `hash: null`). */
  accept(rows: readonly AcceptedRow[]): void {
    this.throwIfFailed()
    for (const row of rows) this.accepted.push(row)
    this.schedule()
  }

  /** Rows refused, before sending or by the destination, with their reasons. */
  reject(rows: readonly Rejection[]): void {
    this.throwIfFailed()
    for (const row of rows) this.rejections.push(row)
    this.schedule()
  }

  /**
   * Resolves when the rows waiting to be written are few enough: delivery that outruns the
   * warehouse waits here, so memory stays bounded however large the run.
   */
  async room(): Promise<void> {
    while (this.failure === undefined && this.waiting() > MAX_WAITING && this.writing !== undefined) {
      await this.writing
    }
    this.throwIfFailed()
  }

  /** Waits until everything handed over is written. */
  async drain(): Promise<void> {
    this.draining = true
    try {
      for (;;) {
        if (this.writing !== undefined) await this.writing
        else if (this.failure === undefined && this.waiting() > 0) this.start()
        else break
      }
    } finally {
      this.draining = false
    }
    this.throwIfFailed()
  }

  private waiting(): number {
    return this.accepted.length + this.rejections.length
  }

  /** Starts a write now when enough waits (or a drain asks), else once {@link LINGER_MS} has passed. */
  private schedule(): void {
    if (this.writing !== undefined || this.failure !== undefined || this.waiting() === 0) return
    if (this.draining || this.waiting() >= MIN_WRITE) this.start()
    else this.lingering ??= setTimeout(() => this.start(), LINGER_MS)
  }

  private start(): void {
    clearTimeout(this.lingering)
    this.lingering = undefined
    if (this.writing !== undefined) return
    this.writing = this.writeWaiting().finally(() => {
      this.writing = undefined
      // Results handed over during the write wait for the next one.
      this.schedule()
    })
  }

  private async writeWaiting(): Promise<void> {
    const { state, runId } = this.target
    const accepted = this.accepted
    const rejections = this.rejections
    this.accepted = []
    this.rejections = []
    try {
      await state.recordAccepted(accepted, runId)
      await state.recordRejected(runId, rejections)
      if (!this.target.clearsRejections) return
      const confirmed = accepted.filter((row) => row.hash !== null).map((row) => row.key)
      if (confirmed.length > 0) await state.clearRejected(confirmed)
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error))
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure
  }
}
