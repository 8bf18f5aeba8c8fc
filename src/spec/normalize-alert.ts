import { ALERT_TRIGGERS, type AlertTrigger, type RejectedThreshold, type SyncAlert } from '../model/alert.js'
import type { AlertDocument, AlertTriggerDocument } from '../model/spec-document-types.generated.js'
import type { AlertSpec, SpecOrigin, SyncSpec } from '../model/spec-types.js'

/*
 * Pure steps from schema-valid `Alert` documents to alerts, and from alerts to what each sync
 * carries. Like the other normalize steps they never fail: the rules report unknown names.
 */

/** Applies `Alert` defaults: triggers in their canonical order, a bare `rejected` as above 0 rows, no values. */
export function normalizeAlert(document: AlertDocument, origin: SpecOrigin): AlertSpec {
  const { metadata, spec } = document
  const written: readonly AlertTriggerDocument[] = spec.on
  const rejectedAbove = rejectedThreshold(written)
  return {
    name: metadata.name,
    description: metadata.description,
    labels: metadata.labels ?? {},
    origin,
    kind: 'Alert',
    channel: spec.channel,
    url: spec.url,
    ...(spec.channel === 'webhook' && spec.signingSecret !== undefined ? { signingSecret: spec.signingSecret } : {}),
    on: ALERT_TRIGGERS.filter((trigger) => written.some((w) => triggerName(w) === trigger)),
    ...(rejectedAbove === undefined ? {} : { rejectedAbove }),
    includeValues: spec.includeValues ?? false,
    syncs: spec.syncs,
  }
}

/** The trigger an entry of `on` names. */
export function triggerName(written: AlertTriggerDocument): AlertTrigger {
  return typeof written === 'string' ? written : 'rejected'
}

/** The threshold of `rejected`: the one written out when there is one (the rules refuse two), else above 0 rows. */
function rejectedThreshold(written: readonly AlertTriggerDocument[]): RejectedThreshold | undefined {
  let threshold: RejectedThreshold | undefined
  for (const entry of written) {
    if (entry === 'rejected') threshold ??= { kind: 'count', count: 0 }
    else if (typeof entry !== 'string') {
      const above = entry.rejected.above
      threshold = typeof above === 'number' ? { kind: 'count', count: above } : { kind: 'percent', percent: Number(above.slice(0, -1)) }
    }
  }
  return threshold
}

/**
 * The alerts a sync carries: those it lists by name (`listed`) and those whose `syncs` select it
 * (`all`, its name, or every label given), sorted by name so that the order of the documents is
 * no change. Left out when there are none.
 */
export function withAlerts(sync: SyncSpec, listed: readonly string[], alerts: readonly AlertSpec[]): SyncSpec {
  const chosen = alerts.filter((alert) => listed.includes(alert.name) || selects(alert, sync))
  if (chosen.length === 0) return sync
  const unique = [...new Map(chosen.map((alert) => [alert.name, alert])).values()].sort((a, b) => a.name.localeCompare(b.name))
  return { ...sync, alerts: unique.map(syncAlertOf) }
}

/** Whether an alert's `syncs` selects a sync by itself. */
export function selects(alert: Pick<AlertSpec, 'syncs'>, sync: Pick<SyncSpec, 'name' | 'labels'>): boolean {
  const { syncs } = alert
  if (syncs === undefined) return false
  if (syncs === 'all') return true
  if (syncs.names?.includes(sync.name) === true) return true
  const labels = Object.entries(syncs.labels ?? {})
  return labels.length > 0 && labels.every(([key, value]) => sync.labels[key] === value)
}

/** What a sync carries of an alert: where and when to send, not which syncs it selects, nor where it was written. */
function syncAlertOf(alert: AlertSpec): SyncAlert {
  const { name, channel, url, signingSecret, on, rejectedAbove, includeValues } = alert
  return {
    name,
    channel,
    url,
    ...(signingSecret === undefined ? {} : { signingSecret }),
    on,
    ...(rejectedAbove === undefined ? {} : { rejectedAbove }),
    includeValues,
  }
}
