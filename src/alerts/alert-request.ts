import type { SyncAlert } from '../model/alert.js'
import type { AlertEvent } from './alert-event.js'
import type { AlertPost } from './post-alert.js'
import { SIGNATURE_HEADER, signAlert, TIMESTAMP_HEADER } from './alert-signature.js'
import { assembleSlackMessage } from './slack-message.js'
import { assembleWebhookBody } from './webhook-body.js'

/** The resolved secrets of an alert: its URL, and a webhook's signing secret. */
export interface AlertSecrets {
  url: string
  signingSecret: string | undefined
}

/**
 * The request of one alert: a Slack message, or a webhook's versioned body with `X-Outflow-Event`,
 * `X-Outflow-Delivery` (the same on every retry) and, with a signing secret, `X-Outflow-Timestamp`
 * and `X-Outflow-Signature`. Pure: the delivery id and the time (Unix seconds) are given.
 */
export function assembleAlertPost(
  alert: Pick<SyncAlert, 'channel'>,
  event: AlertEvent,
  secrets: AlertSecrets,
  delivery: { id: string; timestamp: number },
): AlertPost {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'outflow' }
  if (alert.channel === 'slack') return { url: secrets.url, body: JSON.stringify(assembleSlackMessage(event)), headers }
  const body = JSON.stringify(assembleWebhookBody(event, delivery.id))
  headers['x-outflow-event'] = event.event
  headers['x-outflow-delivery'] = delivery.id
  if (secrets.signingSecret !== undefined) {
    headers[TIMESTAMP_HEADER] = String(delivery.timestamp)
    headers[SIGNATURE_HEADER] = signAlert(secrets.signingSecret, delivery.timestamp, body)
  }
  return { url: secrets.url, body, headers }
}
