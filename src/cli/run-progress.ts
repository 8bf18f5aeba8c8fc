import type { SyncProgress } from '../engine/run-sync.js'

/** Where progress goes: a terminal gets one redrawn line, anything else plain log lines. */
export interface ProgressSink {
  write(text: string): void
  isTTY: boolean
}

/** Seconds between log lines per sync when not attached to a terminal. */
const LOG_EVERY_MS = 5000
const BAR_WIDTH = 24

/**
 * Shows delivery progress of the syncs running now. On a terminal: one line, redrawn, with a bar
 * per running sync. Otherwise (CI logs, files): a line per sync every few seconds, so logs stay
 * readable and still show that a long run moves.
 */
export class RunProgress {
  private readonly active = new Map<string, SyncProgress>()
  private readonly lastLogged = new Map<string, number>()
  private drawn = false
  private readonly sink: ProgressSink

  constructor(sink: ProgressSink) {
    this.sink = sink
  }

  update(progress: SyncProgress): void {
    this.active.set(progress.sync, progress)
    if (this.sink.isTTY) {
      this.redraw()
      return
    }
    const now = Date.now()
    if (now - (this.lastLogged.get(progress.sync) ?? 0) < LOG_EVERY_MS || progress.done === progress.total) return
    this.lastLogged.set(progress.sync, now)
    this.sink.write(
      `${progress.sync}: ${progress.done.toLocaleString('en-US')}/${progress.total.toLocaleString('en-US')} records (${percent(progress)}%): ${outcomes(progress)}\n`,
    )
  }

  /** Removes a finished sync; `print` writes its summary where the bar was, and the bar comes back below it. */
  finish(sync: string, print: () => void): void {
    this.active.delete(sync)
    this.clear()
    print()
    if (this.sink.isTTY && this.active.size > 0) this.redraw()
  }

  /** Erases the bar (before other output). */
  clear(): void {
    if (!this.drawn) return
    this.sink.write('\r\u001b[2K')
    this.drawn = false
  }

  private redraw(): void {
    const parts = [...this.active.values()].map((p) => {
      const filled = Math.round((BAR_WIDTH * p.done) / Math.max(1, p.total))
      return `${p.sync} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${percent(p)}% ${outcomes(p)}`
    })
    const columns = process.stdout.columns > 0 ? process.stdout.columns : 120
    this.sink.write(`\r\u001b[2K${parts.join('  ').slice(0, columns - 1)}`)
    this.drawn = true
  }
}

/** What became of the records handled so far: results, not attempts. */
function outcomes({ counts }: SyncProgress): string {
  const n = (value: number) => value.toLocaleString('en-US')
  const parts = [`${n(counts.synced)} synced`]
  if (counts.rejected > 0) parts.push(`${n(counts.rejected)} rejected`)
  if (counts.failed > 0) parts.push(`${n(counts.failed)} failed`)
  if (counts.unknown > 0) parts.push(`${n(counts.unknown)} unknown`)
  return parts.join(', ')
}

function percent(progress: SyncProgress): number {
  return progress.total === 0 ? 100 : Math.floor((100 * progress.done) / progress.total)
}
