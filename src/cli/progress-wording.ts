import type { SyncProgress } from '../engine/run-sync.js'
import { formatEta, formatRate, type ProgressRate } from './progress-rate.js'

const n = (value: number) => value.toLocaleString('en-US')

/** What became of the records handled so far: results, not attempts. `1,500 synced, 12 failed`. */
export function progressOutcomes({ counts }: SyncProgress): string {
  const parts = [`${n(counts.synced)} synced`]
  if (counts.rejected > 0) parts.push(`${n(counts.rejected)} rejected`)
  if (counts.failed > 0) parts.push(`${n(counts.failed)} failed`)
  if (counts.unknown > 0) parts.push(`${n(counts.unknown)} unknown`)
  return parts.join(', ')
}

/** Whole percent of the rows handled; 100 when there are none. */
export function percentDone(progress: SyncProgress): number {
  return progress.total === 0 ? 100 : Math.floor((100 * progress.done) / progress.total)
}

/** `1,500/20,000` */
export function doneOfTotal(progress: SyncProgress): string {
  return `${n(progress.done)}/${n(progress.total)}`
}

/** `, 120 rows/s, ETA 2m40s`, or nothing before there is a pace to measure. */
export function paceText(rate: ProgressRate | undefined): string {
  return rate === undefined ? '' : `, ${formatRate(rate.rowsPerSecond)}, ${formatEta(rate.etaSeconds)}`
}
