import { ALERT_TRIGGERS, type RejectedThreshold, type RunAlertTrigger, type SyncAlert } from '../model/alert.js'
import type { RunOutcome, RunOutcomeCounts } from './alert-outcomes.js'

/** The error code of a `mirror` run stopped by its safety limits (an empty model, or `maxDeletes`). */
const DELETES_BLOCKED_CODE = 'DELETE_LIMIT'

/**
 * The triggers of `alert` a run's outcome meets, most specific first: none for a run that was
 * skipped (another runner has it) or cancelled (someone stopped it). Pure.
 */
export function runTriggers(alert: Pick<SyncAlert, 'on' | 'rejectedAbove'>, run: RunOutcome): RunAlertTrigger[] {
  if (run.status === 'skipped' || run.status === 'cancelled') return []
  const met: Record<RunAlertTrigger, boolean> = {
    deletes_blocked: run.error?.code === DELETES_BLOCKED_CODE,
    failed: run.status === 'failed',
    partial: run.status === 'partial',
    rejected: exceeds(run.counts, alert.rejectedAbove ?? { kind: 'count', count: 0 }),
  }
  return ALERT_TRIGGERS.filter((t): t is RunAlertTrigger => t !== 'drift' && alert.on.includes(t) && met[t])
}

/**
 * The share of the rows a run handled that it rejected, from 0 to 1: handled rows are those with a
 * result (synced, rejected, failed, of unknown outcome). 0 when it handled none.
 */
export function rejectedShare(counts: Readonly<RunOutcomeCounts>): number {
  const handled = counts.synced + counts.rejected + counts.failed + counts.unknown
  return handled === 0 ? 0 : counts.rejected / handled
}

/** Whether a run rejected more rows than the threshold allows. */
function exceeds(counts: Readonly<RunOutcomeCounts>, above: RejectedThreshold): boolean {
  if (counts.rejected === 0) return false
  return above.kind === 'count' ? counts.rejected > above.count : rejectedShare(counts) * 100 > above.percent
}
