import type { Attributes } from '@opentelemetry/api'

import { activeTelemetry, type ActiveTelemetry } from './active-telemetry.js'
import { currentDeliveryAttempt } from './delivery-attempt.js'
import { ATTRIBUTES, errorTypeOf } from './telemetry-attributes.js'

/** The slice of a vendor client that labels its requests: where it sends, and for which vendor and destination. */
export interface RequestTarget {
  baseUrl: string
  vendor?: string | undefined
  destination?: string | undefined
}

/**
 * A request's path as the client gives it: a fixed path (whose query string telemetry drops), or
 * a path with identifiers in it together with its template.
 */
export type RequestPath = string | { path: string; template: string }

/**
 * Sends one vendor request inside a client span, `POST /users/track`, and counts it: by status
 * (`outflow.requests`), 429s, retries and duration. The span names the vendor, destination,
 * endpoint template, status and resend count; never the query string, a header or a body. With
 * telemetry off it only calls `send`.
 */
export async function traceVendorRequest<R extends { status: number }>(
  target: RequestTarget,
  method: string,
  path: RequestPath,
  send: () => Promise<R>,
): Promise<R> {
  const telemetry = activeTelemetry()
  if (telemetry === undefined) return send()
  const attempt = currentDeliveryAttempt(telemetry)
  const attributes = requestAttributes(target, method, path, attempt.sync)
  const span = telemetry.tracer?.startSpan(`${method} ${templateOf(path)}`, {
    kind: telemetry.api.SpanKind.CLIENT,
    attributes: { ...attributes, ...serverAttributes(target.baseUrl) },
  })
  if (span !== undefined && attempt.resendCount > 0) span.setAttribute(ATTRIBUTES.resendCount, attempt.resendCount)
  const started = performance.now()
  let outcome: Attributes = {}
  try {
    const response = await send()
    outcome = { [ATTRIBUTES.statusCode]: response.status }
    // HTTP client spans are errors from 400 up (OpenTelemetry's HTTP semantic conventions).
    if (response.status >= 400) outcome[ATTRIBUTES.errorType] = String(response.status)
    return response
  } catch (error) {
    outcome = { [ATTRIBUTES.errorType]: errorTypeOf(error) }
    throw error
  } finally {
    span?.setAttributes(outcome)
    if (outcome[ATTRIBUTES.errorType] !== undefined) span?.setStatus({ code: telemetry.api.SpanStatusCode.ERROR })
    span?.end()
    countRequest(telemetry, { ...attributes, ...outcome }, attempt.resendCount, (performance.now() - started) / 1000)
  }
}

function countRequest(telemetry: ActiveTelemetry, attributes: Attributes, resendCount: number, seconds: number): void {
  const instruments = telemetry.instruments
  if (instruments === undefined) return
  instruments.requests.add(1, attributes)
  instruments.requestDuration.record(seconds, attributes)
  if (attributes[ATTRIBUTES.statusCode] === 429) instruments.rateLimited.add(1, attributes)
  if (resendCount > 0) instruments.retries.add(1, attributes)
}

function requestAttributes(target: RequestTarget, method: string, path: RequestPath, sync: string | undefined): Attributes {
  const attributes: Attributes = { [ATTRIBUTES.method]: method, [ATTRIBUTES.urlTemplate]: templateOf(path) }
  if (target.vendor !== undefined) attributes[ATTRIBUTES.vendor] = target.vendor
  if (target.destination !== undefined) attributes[ATTRIBUTES.destination] = target.destination
  if (sync !== undefined) attributes[ATTRIBUTES.sync] = sync
  return attributes
}

/** The endpoint without anything that may hold a customer's identifier: the template, or the path without its query string. */
export function templateOf(path: RequestPath): string {
  if (typeof path !== 'string') return path.template
  const end = path.search(/[?#]/)
  return end === -1 ? path : path.slice(0, end)
}

/** The vendor's host and port, on spans only: metrics are labelled by vendor and destination instead. */
function serverAttributes(baseUrl: string): Attributes {
  try {
    const url = new URL(baseUrl)
    const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port)
    return { [ATTRIBUTES.serverAddress]: url.hostname, [ATTRIBUTES.serverPort]: port }
  } catch {
    return {}
  }
}
