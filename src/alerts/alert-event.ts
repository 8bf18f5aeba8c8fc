import type { AlertTrigger, RejectedThreshold, SyncAlert } from '../model/alert.js'
import type { SyncSpec } from '../model/spec-types.js'
import type { DriftOutcome, RejectedRowSample, RunOutcome, RunRejections } from './alert-outcomes.js'
import { driftReason, valueFreeRunReason } from './alert-reason.js'
import { rejectedShare } from './run-triggers.js'

/** Rejected rows and drifted records an alert with `includeValues` lists: enough to act on, a bounded message. */
export const MAX_LISTED = 10

/** The sync an alert is about: names only. */
export type AlertedSync = Pick<SyncSpec, 'name' | 'source' | 'destination' | 'object' | 'behavior'>

/**
 * What an alert says, whatever its channel. Everything outside `values` is free of model values:
 * names, statuses, counts, error codes, times and a reason built from them.
 */
export interface AlertEvent {
  /** The `Alert` document's name. */
  alert: string
  /** The most specific trigger met; `triggers` has all of them. */
  event: AlertTrigger
  triggers: readonly AlertTrigger[]
  sync: AlertedSync
  /** A run's outcome; undefined for drift. */
  run?: {
    id: string | undefined
    status: RunOutcome['status']
    startedAt: Date
    endedAt: Date
    durationMs: number
    fullResync: boolean
    counts: RunOutcome['counts']
    errorCode: string | undefined
    /** With the `rejected` trigger: rejected rows, their share of the rows handled, the threshold and the value-free reasons. */
    rejected?: { rows: number; share: number; above: RejectedThreshold; byReason: RunRejections['byReason'] }
  }
  /** What `outflow verify` found; undefined for a run. */
  drift?: { verifiedAt: Date; sample: number | undefined; fullResync: boolean; counts: DriftOutcome['counts'] }
  /** Why, in words that quote no value. */
  reason: string | undefined
  /** Model values: only with `includeValues`. */
  values?: { reason?: string; error?: { code: string; message: string }; rejectedRows?: RejectedRowSample[]; findings?: unknown[] }
}

/** The event of a run that met `triggers` of `alert`. Pure: `endedAt` is when the run ended. */
export function assembleRunEvent(
  alert: SyncAlert,
  triggers: readonly AlertTrigger[],
  sync: AlertedSync,
  run: RunOutcome,
  context: { endedAt: Date; rejections: RunRejections | undefined },
): AlertEvent {
  const { endedAt, rejections } = context
  const rejected = triggers.includes('rejected')
    ? {
        rows: run.counts.rejected,
        share: rejectedShare(run.counts),
        above: alert.rejectedAbove ?? { kind: 'count' as const, count: 0 },
        byReason: rejections?.byReason ?? [],
      }
    : undefined
  return {
    alert: alert.name,
    event: triggers[0] ?? 'failed',
    triggers,
    sync: syncNames(sync),
    run: {
      id: run.runId,
      status: run.status,
      startedAt: new Date(endedAt.getTime() - run.durationMs),
      endedAt,
      durationMs: run.durationMs,
      fullResync: run.fullResync,
      counts: { ...run.counts },
      errorCode: run.error?.code,
      ...(rejected === undefined ? {} : { rejected }),
    },
    reason: valueFreeRunReason(run),
    ...(alert.includeValues ? { values: runValues(run, rejected === undefined ? undefined : rejections) } : {}),
  }
}

/** The event of drift `outflow verify` found. Pure. */
export function assembleDriftEvent(alert: SyncAlert, sync: AlertedSync, drift: DriftOutcome, verifiedAt: Date): AlertEvent {
  return {
    alert: alert.name,
    event: 'drift',
    triggers: ['drift'],
    sync: syncNames(sync),
    drift: { verifiedAt, sample: drift.sample, fullResync: drift.fullResync, counts: { ...drift.counts } },
    reason: driftReason(drift.counts),
    ...(alert.includeValues ? { values: { findings: drift.findings.slice(0, MAX_LISTED) } } : {}),
  }
}

function syncNames(sync: AlertedSync): AlertedSync {
  return { name: sync.name, source: sync.source, destination: sync.destination, object: sync.object, behavior: sync.behavior }
}

function runValues(run: RunOutcome, rejections: RunRejections | undefined): NonNullable<AlertEvent['values']> {
  return {
    ...(run.reason === undefined ? {} : { reason: run.reason }),
    ...(run.error === undefined ? {} : { error: { ...run.error } }),
    ...(rejections === undefined ? {} : { rejectedRows: rejections.sample.slice(0, MAX_LISTED).map((r) => ({ ...r })) }),
  }
}
