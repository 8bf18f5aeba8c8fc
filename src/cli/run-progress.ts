import type { SyncProgress } from '../engine/run-sync.js'
import type { EventLog } from './event-log.js'
import { nounFor } from './plural.js'
import { ProgressBar } from './progress-bar.js'
import { ProgressRates, type ProgressRate } from './progress-rate.js'
import { doneOfTotal, paceText, percentDone, progressOutcomes } from './progress-wording.js'

/** Where progress goes: a terminal gets a redrawn bar, anything else plain lines, a log its events. */
export interface ProgressSink {
  write(text: string): void
  /** Whether `write` draws on a terminal. */
  isTTY: boolean
  /** The width of that terminal, read at each redraw. */
  columns?: (() => number | undefined) | undefined
  /**
   * With `--log-format`: progress is a `sync_progress` event of this log every few seconds per
   * sync, and no bar is drawn even on a terminal, so that the stream holds only log lines.
   */
  log?: EventLog | undefined
}

/** Seconds between progress lines per sync when no bar is drawn. */
const LOG_EVERY_MS = 5000

/**
 * Shows delivery progress of the syncs running now. On a terminal: one line, redrawn, with a bar
 * per running sync (see {@link ProgressBar}). Otherwise (CI logs, files, `--log-format`): a line
 * per sync every few seconds, so logs stay readable and still show that a long run moves.
 */
export class RunProgress {
  private readonly bar: ProgressBar | undefined
  private readonly rates: ProgressRates
  private readonly lastLogged = new Map<string, number>()

  constructor(
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
  ) {
    this.rates = new ProgressRates(now)
    this.bar =
      sink.isTTY && sink.log === undefined ? new ProgressBar({ write: (text) => sink.write(text), columns: sink.columns }, now) : undefined
  }

  update(progress: SyncProgress): void {
    const rate = this.rates.observe(progress)
    if (this.bar !== undefined) {
      this.bar.update(progress, rate)
      return
    }
    const now = this.now()
    // The last report of a sync is left out: its result line follows at once.
    if (now - (this.lastLogged.get(progress.sync) ?? 0) < LOG_EVERY_MS || progress.done === progress.total) return
    this.lastLogged.set(progress.sync, now)
    this.logLine(progress, rate)
  }

  /** Removes a finished sync; `print` writes its summary where the bar was, and the bar comes back below it. */
  finish(sync: string, print: () => void): void {
    this.rates.forget(sync)
    this.lastLogged.delete(sync)
    this.bar?.remove(sync)
    this.bar?.clear()
    print()
    this.bar?.redraw()
  }

  /** Writes a line where the bar is (a warning), and the bar comes back below it. */
  interject(print: () => void): void {
    this.bar?.clear()
    print()
    this.bar?.redraw()
  }

  /** Erases the bar (before other output). */
  clear(): void {
    this.bar?.clear()
  }

  private logLine(progress: SyncProgress, rate: ProgressRate | undefined): void {
    const message = `${progress.sync}: ${doneOfTotal(progress)} ${nounFor(progress.total, 'record')} (${percentDone(progress)}%): ${progressOutcomes(progress)}${paceText(rate)}`
    if (this.sink.log === undefined) {
      this.sink.write(`${message}\n`)
      return
    }
    this.sink.log.log({
      level: 'info',
      event: 'sync_progress',
      message,
      sync: progress.sync,
      counts: { ...progress.counts },
      fields: {
        done: progress.done,
        total: progress.total,
        rows_per_second: rate === undefined ? undefined : Math.round(rate.rowsPerSecond * 10) / 10,
        eta_seconds: rate?.etaSeconds === undefined ? undefined : Math.ceil(rate.etaSeconds),
      },
    })
  }
}
