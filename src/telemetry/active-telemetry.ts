import type * as otel from '@opentelemetry/api'

import type { LastSuccess } from './last-success.js'
import type { OutflowInstruments } from './outflow-instruments.js'

/** What the hooks in the engine and the HTTP layer use while telemetry runs. */
export interface ActiveTelemetry {
  /** The OpenTelemetry API, loaded with the SDK: when telemetry is off it is never imported. */
  api: typeof otel
  /** Undefined when traces are off. */
  tracer: otel.Tracer | undefined
  /** Undefined when metrics are off. */
  instruments: OutflowInstruments | undefined
  lastSuccess: LastSuccess
  /** Context keys a delivery attempt passes down to the requests it makes. */
  keys: { sync: symbol; resendCount: symbol }
}

/*
 * One per process, like OpenTelemetry's own global providers: the hooks sit many calls deep on hot
 * paths (one per vendor request), and passing a handle down every signature to each of them would
 * change most of the engine for something that is process-wide by nature. When it is undefined,
 * each hook costs one comparison and calls straight through.
 */
let active: ActiveTelemetry | undefined

/** The running telemetry, or undefined when it is off (the default). */
export function activeTelemetry(): ActiveTelemetry | undefined {
  return active
}

/** Turns the hooks on (with a started SDK) or off again (undefined), as `startTelemetry` and its shutdown do. */
export function setActiveTelemetry(telemetry: ActiveTelemetry | undefined): void {
  active = telemetry
}
