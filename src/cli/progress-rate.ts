import type { SyncProgress } from '../engine/run-sync.js'

/** How fast a sync's rows are handled, and how long the rest should take at that pace. */
export interface ProgressRate {
  rowsPerSecond: number
  /** Undefined while nothing has been handled since the first report (no pace to go by). */
  etaSeconds: number | undefined
}

/** A rate over less than this says more about one batch than about the run: none is shown before. */
const MIN_ELAPSED_MS = 1000

/**
 * Measures each sync's pace from its first progress report: rows handled since then over the time
 * since then. The first report comes after the first batch, so the diff and any setup before it
 * do not slow the rate down.
 */
export class ProgressRates {
  private readonly firstSeen = new Map<string, { ms: number; done: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a report and returns the sync's rate, or undefined while too little time has passed. */
  observe(progress: SyncProgress): ProgressRate | undefined {
    const now = this.now()
    const first = this.firstSeen.get(progress.sync)
    if (first === undefined) {
      this.firstSeen.set(progress.sync, { ms: now, done: progress.done })
      return undefined
    }
    const elapsedMs = now - first.ms
    if (elapsedMs < MIN_ELAPSED_MS) return undefined
    const rowsPerSecond = ((progress.done - first.done) * 1000) / elapsedMs
    const left = Math.max(0, progress.total - progress.done)
    return { rowsPerSecond, etaSeconds: rowsPerSecond > 0 ? left / rowsPerSecond : undefined }
  }

  /** Forgets a finished sync. */
  forget(sync: string): void {
    this.firstSeen.delete(sync)
  }
}

/** `1,234 rows/s`, or `0.5 rows/s` below ten. */
export function formatRate(rowsPerSecond: number): string {
  const shown = rowsPerSecond < 10 ? rowsPerSecond.toFixed(1) : Math.round(rowsPerSecond).toLocaleString('en-US')
  return `${shown} rows/s`
}

/** `ETA 42s`, `ETA 3m05s`, `ETA 1h02m`; `ETA ?` with no pace to go by. */
export function formatEta(etaSeconds: number | undefined): string {
  if (etaSeconds === undefined || !Number.isFinite(etaSeconds)) return 'ETA ?'
  const seconds = Math.ceil(etaSeconds)
  if (seconds < 60) return `ETA ${seconds}s`
  const two = (n: number) => String(n).padStart(2, '0')
  if (seconds < 3600) return `ETA ${Math.floor(seconds / 60)}m${two(seconds % 60)}s`
  return `ETA ${Math.floor(seconds / 3600)}h${two(Math.floor((seconds % 3600) / 60))}m`
}
