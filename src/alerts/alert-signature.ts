import { createHmac, timingSafeEqual } from 'node:crypto'

/** The headers of a signed webhook alert. */
export const SIGNATURE_HEADER = 'x-outflow-signature'
export const TIMESTAMP_HEADER = 'x-outflow-timestamp'

/**
 * How far a signed alert's timestamp may be from the receiver's clock before it is refused as a
 * replay: Stripe's and Slack's choice.
 * @default 300
 */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300

/**
 * The `X-Outflow-Signature` of a webhook alert: `sha256=` and the hex HMAC-SHA256, keyed by the
 * signing secret, of `<timestamp>.<body>` (the timestamp in Unix seconds, as `X-Outflow-Timestamp`
 * carries it; the body as sent). Binding the time in stops a captured alert from being replayed later.
 */
export function signAlert(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** What a receiver checks a webhook alert with: the raw body and the two headers, as received. */
export interface AlertSignatureCheck {
  secret: string
  /** The request body exactly as received (before any JSON parsing). */
  body: string
  /** `X-Outflow-Timestamp`. */
  timestamp: string | undefined
  /** `X-Outflow-Signature`. */
  signature: string | undefined
  /** @default DEFAULT_SIGNATURE_TOLERANCE_SECONDS */
  toleranceSeconds?: number
  /** The receiver's clock, in milliseconds. @default Date.now() */
  now?: number
}

/**
 * Whether a webhook alert is authentic and fresh: its signature matches the body and timestamp
 * under the secret (compared in constant time), and the timestamp is within the tolerance.
 *
 * @example
 * ```ts
 * import { verifyAlertSignature } from 'outflow'
 *
 * const ok = verifyAlertSignature({
 *   secret: process.env.ALERT_SIGNING_SECRET!,
 *   body: rawBody,
 *   timestamp: request.headers['x-outflow-timestamp'],
 *   signature: request.headers['x-outflow-signature'],
 * })
 * ```
 */
export function verifyAlertSignature(check: AlertSignatureCheck): boolean {
  const { timestamp, signature } = check
  if (timestamp === undefined || signature === undefined || !/^\d+$/.test(timestamp)) return false
  const tolerance = check.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS
  if (Math.abs((check.now ?? Date.now()) / 1000 - Number(timestamp)) > tolerance) return false
  const expected = Buffer.from(signAlert(check.secret, Number(timestamp), check.body))
  const given = Buffer.from(signature)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
