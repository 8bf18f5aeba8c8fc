import type { Schedule } from '../model/spec-types.js'
import type { RejectedRow } from '../warehouse/state/rejected-rows.js'
import type { RunRecord } from '../warehouse/state/runs.js'
import { PLAIN, type Palette } from './palette.js'
import { plural } from './plural.js'
import type { SyncStatus } from './sync-status.js'

/** How `status`, `runs` and `rejected` print for a person. */
export interface HistoryTextOptions {
  /** Colours for run statuses (a terminal's). */
  palette?: Palette
  /** `--verbose`: run ids too. */
  verbose?: boolean
}

/** `outflow status`: a block per sync: last run, rejected rows, schedule and next run. */
export function formatStatus(rows: readonly SyncStatus[], options: HistoryTextOptions = {}): string {
  const palette = options.palette ?? PLAIN
  return rows
    .map((row) => {
      const last = row.lastRun
      const runId = options.verbose === true && last !== undefined ? ` (run ${last.runId})` : ''
      const lastText =
        last === undefined
          ? 'never run'
          : `${palette.status(last.status)} at ${last.startedAt.toISOString()}${runId}: ${describeRunCounts(last)} (${describeEffort(last)})${last.reason === undefined ? '' : `\n  why: ${last.reason}`}`
      const running = row.runningOn === undefined ? '' : `\n  running now on ${row.runningOn}`
      return `${row.sync}  ->  ${row.destination} ${row.object} (${row.behavior})\n  last run: ${lastText}\n  rejected rows: ${row.rejectedRows.toLocaleString('en-US')}\n  schedule: ${describeSchedule(row.schedule)}; next run: ${nextRunText(row)}${running}\n`
    })
    .join('\n')
}

/** `outflow runs`: a line per run, newest first. */
export function formatRuns(runs: readonly RunRecord[], options: HistoryTextOptions = {}): string {
  if (runs.length === 0) return 'no runs yet\n'
  const palette = options.palette ?? PLAIN
  return runs
    .map((r) => {
      const seconds = r.finishedAt === undefined ? 'running' : `${((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1)} s`
      const runId = options.verbose === true ? `  run ${r.runId}` : ''
      const line = `${r.startedAt.toISOString()}  ${palette.status(r.status, r.status.padEnd(9))} ${describeRunCounts(r)}  ${describeEffort(r)}  ${seconds}${r.fullResync ? '  full resync' : ''}${runId}`
      return r.reason === undefined ? `${line}\n` : `${line}\n  why: ${r.reason}\n`
    })
    .join('')
}

/** `outflow rejected`: each refused row, its attempts, when last refused, and why. */
export function formatRejected(sync: string, rows: readonly RejectedRow[]): string {
  if (rows.length === 0) return `no rejected rows for ${sync}\n`
  return rows
    .map((r) => `${r.key === '' ? '(null key)' : r.key}  attempts ${r.attempts}  last ${r.lastSeen.toISOString()}\n  ${r.reason}\n`)
    .join('')
}

function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'manual':
      return 'manual'
    case 'cron':
      return `cron ${schedule.cron} (${schedule.timezone})`
    case 'interval':
      return `every ${schedule.interval}`
  }
}

function nextRunText(row: SyncStatus): string {
  if (row.schedule.kind === 'manual') return 'when run by hand'
  if (row.due) return 'due now'
  return row.nextRunAt?.toISOString() ?? 'never'
}

/** What a run's delivery took: requests, retries among them, 429 answers. */
function describeEffort(r: RunRecord): string {
  return `${plural(r.requests, 'request')}, ${plural(r.retries, 'retry', 'retries')}, ${r.rateLimited.toLocaleString('en-US')} answered 429`
}

/** A run's rows, as the run line says them: what changed, then what became of it. */
function describeRunCounts(r: RunRecord): string {
  const changes = `${r.added} added, ${r.changed} changed, ${r.removed} removed${r.retried > 0 ? `, ${r.retried} retried` : ''}`
  const outcome = `${r.synced} synced, ${r.rejected} rejected, ${r.failed} failed${r.unknown > 0 ? `, ${r.unknown} of unknown outcome` : ''}`
  return `${changes} -> ${outcome}`
}
