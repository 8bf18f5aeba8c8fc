import type { CredentialReference } from './spec-document-types.generated.js'

/** Where an alert goes: a Slack incoming webhook, or a webhook of the user's own. */
export const ALERT_CHANNELS = ['slack', 'webhook'] as const
export type AlertChannel = (typeof ALERT_CHANNELS)[number]

/**
 * What an alert is sent for, in the order an alert names them when several hold at once: the
 * most specific first (a run stopped by its delete limits is also a failed run).
 */
export const ALERT_TRIGGERS = ['deletes_blocked', 'failed', 'partial', 'rejected', 'drift'] as const
export type AlertTrigger = (typeof ALERT_TRIGGERS)[number]

/** The triggers a sync run ends with; `drift` comes from `outflow verify`. */
export type RunAlertTrigger = Exclude<AlertTrigger, 'drift'>

/** A threshold of rejected rows: a count, or a share (in percent) of the rows the run handled. */
export type RejectedThreshold = { kind: 'count'; count: number } | { kind: 'percent'; percent: number }

/**
 * An alert as a sync carries it: what the `Alert` document says, resolved for that sync. It is
 * part of the sync's registered spec, so a new or changed alert shows in `outflow plan` and
 * `pulumi preview` as a change of the sync, and `outflow run` uses the alerts that were applied.
 * It holds credential references only, never a URL or a key.
 */
export interface SyncAlert {
  /** The `Alert` document's name. */
  name: string
  channel: AlertChannel
  /** The URL to post to; read from the environment of the process that runs the sync. */
  url: CredentialReference
  /** Webhooks: the key of the HMAC-SHA256 signature header; unsigned without it. */
  signingSecret?: CredentialReference
  /** The triggers it is sent for, in {@link ALERT_TRIGGERS} order. */
  on: readonly AlertTrigger[]
  /** With `rejected` in `on`: rejected rows must exceed it (a bare `rejected` is above 0 rows). */
  rejectedAbove?: RejectedThreshold
  /**
   * Whether model values may appear in the alert: the run's reason and error as recorded,
   * rejected rows' keys, drifted records' keys.
   * @default false
   */
  includeValues: boolean
}
