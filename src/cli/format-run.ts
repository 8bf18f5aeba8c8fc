import type { SyncRunResult } from '../engine/sync-run-result.js'
import type { LogEvent } from './event-log.js'
import { PLAIN, type Palette } from './palette.js'
import { plural } from './plural.js'

const n = (value: number) => value.toLocaleString('en-US')

/** Options of {@link formatRunLine}. */
export interface RunLineOptions {
  /** Colours for the status (a terminal's); none by default. */
  palette?: Palette
  /**
   * `--verbose`: the run id, retries and 429 answers.
   * @default false
   */
  verbose?: boolean
}

/** One line per finished sync: what changed, what became of it, and how long it took. */
export function formatRunLine(result: SyncRunResult, options: RunLineOptions = {}): string {
  const palette = options.palette ?? PLAIN
  const head = `${palette.status(result.status, result.status.padEnd(9))} ${result.sync} (${result.destination} ${result.object}, ${result.behavior})`
  if (result.status === 'skipped') return `${head}: skipped, ${result.skipped ?? ''}\n`
  const { counts } = result
  const retried = counts.retried > 0 ? `, ${n(counts.retried)} retried` : ''
  const parts = [`${n(counts.added)} added, ${n(counts.changed)} changed, ${n(counts.removed)} removed${retried}`]
  const outcome = [`${n(counts.synced)} synced`, `${n(counts.rejected)} rejected`, `${n(counts.failed)} failed`]
  if (counts.unknown > 0) outcome.push(`${n(counts.unknown)} of unknown outcome (not re-sent)`)
  parts.push(`-> ${outcome.join(', ')}`)
  if (counts.baselined > 0) parts.push(`${plural(counts.baselined, 'existing row')} recorded as sent (no backfill)`)
  if (result.fullResync) parts.push('full resync')
  const effort = [plural(result.deliveries, 'batch', 'batches'), `${(result.durationMs / 1000).toFixed(1)} s`]
  if (options.verbose === true) effort.push(...verboseEffort(result))
  const line = `${head}: ${parts.join('; ')} [${effort.join(', ')}]\n`
  return result.reason === undefined ? line : `${line}          why: ${result.reason}\n`
}

/** What `--verbose` adds to a run line: which run, and what delivering cost beyond the batches. */
function verboseEffort(result: SyncRunResult): string[] {
  return [
    ...(result.runId === undefined ? [] : [`run ${result.runId}`]),
    plural(result.retries, 'retry', 'retries'),
    `${n(result.rateLimited)} answered 429`,
  ]
}

/** The closing line: how many syncs ended how, the statuses coloured where any ended so. */
export function formatRunTotals(results: readonly SyncRunResult[], palette: Palette = PLAIN): string {
  const by = (status: SyncRunResult['status']) => {
    const count = results.filter((r) => r.status === status).length
    const text = `${n(count)} ${status}`
    return count > 0 ? palette.status(status, text) : text
  }
  const synced = results.reduce((sum, r) => sum + r.counts.synced, 0)
  const cancelled = results.some((r) => r.status === 'cancelled') ? `, ${by('cancelled')}` : ''
  return `${plural(results.length, 'sync')}: ${by('succeeded')}, ${by('partial')}, ${by('failed')}${cancelled}, ${by('skipped')}; ${plural(synced, 'record')} synced\n`
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

/** The end of `outflow run` as a log event: the closing line as the message, the syncs counted by status. */
export function runTotalsEvent(results: readonly SyncRunResult[]): LogEvent {
  const by = (status: SyncRunResult['status']) => results.filter((r) => r.status === status).length
  const bad = by('failed') + by('partial') + by('cancelled')
  return {
    level: bad > 0 ? 'warn' : 'info',
    event: 'syncs_finished',
    message: formatRunTotals(results),
    counts: {
      syncs: results.length,
      succeeded: by('succeeded'),
      partial: by('partial'),
      failed: by('failed'),
      cancelled: by('cancelled'),
      skipped: by('skipped'),
      synced: results.reduce((sum, r) => sum + r.counts.synced, 0),
    },
  }
}
