import type { SyncRunResult } from '../engine/sync-run-result.js'
import type { LogEvent } from './event-log.js'

const n = (value: number) => value.toLocaleString('en-US')

/** One line per finished sync: what changed, what became of it, and how long it took. */
export function formatRunLine(result: SyncRunResult): string {
  const head = `${result.status.padEnd(9)} ${result.sync} (${result.destination} ${result.object}, ${result.behavior})`
  if (result.status === 'skipped') return `${head}: skipped, ${result.skipped ?? ''}\n`
  const { counts } = result
  const retried = counts.retried > 0 ? `, ${n(counts.retried)} retried` : ''
  const parts = [`${n(counts.added)} added, ${n(counts.changed)} changed, ${n(counts.removed)} removed${retried}`]
  const outcome = [`${n(counts.synced)} synced`, `${n(counts.rejected)} rejected`, `${n(counts.failed)} failed`]
  if (counts.unknown > 0) outcome.push(`${n(counts.unknown)} of unknown outcome (not re-sent)`)
  parts.push(`-> ${outcome.join(', ')}`)
  if (counts.baselined > 0) parts.push(`${n(counts.baselined)} existing rows recorded as sent (no backfill)`)
  if (result.fullResync) parts.push('full resync')
  const timing = `${(result.durationMs / 1000).toFixed(1)} s`
  const line = `${head}: ${parts.join('; ')} [${n(result.deliveries)} batches, ${timing}]\n`
  return result.reason === undefined ? line : `${line}          why: ${result.reason}\n`
}

/** The closing line: how many syncs ended how. */
export function formatRunTotals(results: readonly SyncRunResult[]): string {
  const by = (status: SyncRunResult['status']) => results.filter((r) => r.status === status).length
  const synced = results.reduce((sum, r) => sum + r.counts.synced, 0)
  const cancelled = by('cancelled') > 0 ? `, ${by('cancelled')} cancelled` : ''
  return `${results.length} syncs: ${by('succeeded')} succeeded, ${by('partial')} partial, ${by('failed')} failed${cancelled}, ${by('skipped')} skipped; ${n(synced)} records synced\n`
}

/** A finished sync as a log event: its run line as the message, its counts and error code as fields. */
export function runFinishedEvent(result: SyncRunResult): LogEvent {
  const level =
    result.status === 'succeeded' || result.status === 'skipped'
      ? 'info'
      : result.status === 'partial' || result.status === 'cancelled'
        ? 'warn'
        : 'error'
  return {
    level,
    event: 'run_finished',
    message: formatRunLine(result).replace(/\s+why:/, '; why:'),
    sync: result.sync,
    runId: result.runId,
    counts: { ...result.counts },
    errorCode: result.error?.code,
    fields: {
      status: result.status,
      destination: result.destination,
      requests: result.deliveries,
      retries: result.retries,
      rate_limited: result.rateLimited,
      duration_ms: result.durationMs,
      reason: result.reason,
    },
  }
}
