import type { SyncProgress } from '../engine/run-sync.js'
import type { ProgressRate } from './progress-rate.js'
import { doneOfTotal, paceText, percentDone, progressOutcomes } from './progress-wording.js'

/** The terminal a bar draws on. */
export interface TerminalSink {
  write(text: string): void
  /** The terminal's width, read at each redraw (a window can be resized); 80 when unknown. */
  columns?: (() => number | undefined) | undefined
}

/** Ten redraws a second at most: faster only costs CPU and flickers, since nobody reads faster. */
const REDRAW_EVERY_MS = 100
const DEFAULT_COLUMNS = 80
const BAR_WIDTH = { min: 5, max: 30 } as const
const ERASE_LINE = '\r\u001b[2K'

/**
 * One terminal line, redrawn in place, with a bar per running sync: percent, rows handled of the
 * total, outcomes, rate and ETA, fitted to the width of the terminal it draws on. Redraws are
 * throttled; a sync's final state (every row handled) is drawn at once, and a report that came
 * too soon is drawn by a timer, so the line never stays behind.
 */
export class ProgressBar {
  private readonly active = new Map<string, { progress: SyncProgress; rate: ProgressRate | undefined }>()
  private drawn = false
  private lastDrawMs = Number.NEGATIVE_INFINITY
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly sink: TerminalSink,
    private readonly now: () => number = Date.now,
  ) {}

  update(progress: SyncProgress, rate: ProgressRate | undefined): void {
    this.active.set(progress.sync, { progress, rate })
    const waitMs = this.lastDrawMs + REDRAW_EVERY_MS - this.now()
    if (progress.done >= progress.total || waitMs <= 0) this.draw()
    else this.timer ??= setTimeout(() => this.draw(), waitMs).unref()
  }

  /** Drops a finished sync from the line (drawn again by {@link redraw}). */
  remove(sync: string): void {
    this.active.delete(sync)
  }

  /** Draws the line again, if any sync is running. */
  redraw(): void {
    if (this.active.size > 0) this.draw()
  }

  /** Erases the line (before other output) and cancels a redraw due. */
  clear(): void {
    this.cancelTimer()
    if (!this.drawn) return
    this.sink.write(ERASE_LINE)
    this.drawn = false
  }

  private draw(): void {
    this.cancelTimer()
    const columns = this.sink.columns?.() ?? 0
    const width = (columns > 0 ? columns : DEFAULT_COLUMNS) - 1
    const entries = [...this.active.values()]
    const share = Math.floor((width - 2 * (entries.length - 1)) / Math.max(1, entries.length))
    const parts = entries.map(({ progress, rate }) => {
      const tail = `${percentDone(progress)}% ${doneOfTotal(progress)}: ${progressOutcomes(progress)}${paceText(rate)}`
      const barWidth = Math.min(BAR_WIDTH.max, Math.max(BAR_WIDTH.min, share - progress.sync.length - tail.length - 4))
      const filled = Math.round((barWidth * progress.done) / Math.max(1, progress.total))
      return `${progress.sync} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${tail}`
    })
    this.sink.write(`${ERASE_LINE}${parts.join('  ').slice(0, width)}`)
    this.drawn = true
    this.lastDrawMs = this.now()
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
