import { activeTelemetry, type ActiveTelemetry } from './active-telemetry.js'

/** What a request learns of the delivery attempt it belongs to. */
export interface DeliveryAttempt {
  sync: string | undefined
  /** Earlier attempts of the same batch: 0 for the first. */
  resendCount: number
}

/**
 * Calls a connector's `deliver` for one attempt of a batch, letting the requests it makes know
 * their sync and how many attempts came before (`http.request.resend_count` on their spans,
 * `outflow.requests.retries`). The connector needs no parameter for it: the attempt travels in
 * OpenTelemetry's context. With telemetry off it only calls `deliver`.
 */
export function withDeliveryAttempt<T>(sync: string, resendCount: number, deliver: () => Promise<T>): Promise<T> {
  const telemetry = activeTelemetry()
  if (telemetry === undefined) return deliver()
  const { api, keys } = telemetry
  const context = api.context.active().setValue(keys.sync, sync).setValue(keys.resendCount, resendCount)
  return api.context.with(context, deliver)
}

/** The attempt the current request belongs to: none (resend count 0) outside a delivery, as for a check or a read. */
export function currentDeliveryAttempt(telemetry: ActiveTelemetry): DeliveryAttempt {
  const context = telemetry.api.context.active()
  const sync = context.getValue(telemetry.keys.sync)
  const resendCount = context.getValue(telemetry.keys.resendCount)
  return { sync: typeof sync === 'string' ? sync : undefined, resendCount: typeof resendCount === 'number' ? resendCount : 0 }
}
