import type { RejectedThreshold } from '../model/alert.js'
import type { AlertEvent } from './alert-event.js'

/** The version of the webhook body; a change that breaks receivers gets a new one. */
export const WEBHOOK_BODY_VERSION = 1

/**
 * The JSON body of a webhook alert, version 1: flat, with ISO 8601 times. A run's event carries
 * `runId`, `status` (the run's), `startedAt`, `endedAt`, `durationMs` and the run's `counts`; a
 * drift event carries `status: "drifted"`, `verifiedAt`, `sample` and the verification's `counts`.
 * `values` is there only with `includeValues`. `id` names the alert's delivery: the same on every
 * retry of it, so that a receiver can drop a repeat.
 */
export function assembleWebhookBody(event: AlertEvent, id: string): Record<string, unknown> {
  const { sync, run, drift } = event
  return {
    version: WEBHOOK_BODY_VERSION,
    id,
    event: event.event,
    triggers: event.triggers,
    alert: event.alert,
    sync: sync.name,
    source: sync.source,
    destination: sync.destination,
    object: sync.object,
    behavior: sync.behavior,
    ...(run === undefined
      ? {}
      : {
          runId: run.id ?? null,
          status: run.status,
          startedAt: run.startedAt.toISOString(),
          endedAt: run.endedAt.toISOString(),
          durationMs: run.durationMs,
          fullResync: run.fullResync,
          counts: run.counts,
          error: run.errorCode === undefined ? null : { code: run.errorCode },
          ...(run.rejected === undefined ? {} : { rejected: { ...run.rejected, above: thresholdText(run.rejected.above) } }),
        }),
    ...(drift === undefined
      ? {}
      : {
          runId: null,
          status: 'drifted',
          verifiedAt: drift.verifiedAt.toISOString(),
          sample: drift.sample ?? null,
          fullResync: drift.fullResync,
          counts: drift.counts,
        }),
    reason: event.reason ?? null,
    ...(event.values === undefined ? {} : { values: event.values }),
  }
}

/** A threshold as the spec writes it: `10` or `"2%"`. */
export function thresholdText(threshold: RejectedThreshold): number | string {
  return threshold.kind === 'count' ? threshold.count : `${threshold.percent}%`
}
