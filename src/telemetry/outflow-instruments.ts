import type { Counter, Histogram, Meter } from '@opentelemetry/api'

import type { LastSuccess } from './last-success.js'

/** Every metric Outflow records; README "Telemetry (OpenTelemetry)" lists them with their attributes. */
export interface OutflowInstruments {
  /** Rows a run ended with, by `outflow.row.outcome`: synced, rejected, failed, unknown, baselined. */
  rows: Counter
  /** Requests sent to vendors, by `http.response.status_code` (or `error.type` when no answer came). */
  requests: Counter
  /** Requests a vendor answered with 429. */
  rateLimited: Counter
  /** Requests that repeat an earlier attempt of the same batch (after a 429, a 5xx, an unexpected answer, a network error). */
  retries: Counter
  /** How long each vendor request took, from the first byte sent to the last byte read. */
  requestDuration: Histogram
  /** How long each sync run took, by `outflow.run.status`. */
  runDuration: Histogram
}

/**
 * Runs last from under a second (nothing changed) to hours (a first sync of millions of rows at a
 * vendor's rate limit); the SDK's default buckets are made for milliseconds.
 */
const RUN_SECONDS = [0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 28_800]

/** Vendor requests: tens of milliseconds to the 30 s timeout. */
const REQUEST_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Makes Outflow's instruments on `meter`, with the gauge of seconds since each sync's last successful run. */
export function createInstruments(meter: Meter, lastSuccess: LastSuccess): OutflowInstruments {
  const sinceSuccess = meter.createObservableGauge('outflow.sync.time_since_last_success', {
    description:
      'Seconds since the last successful run of the sync seen by this process (since the process started, until it has seen one)',
    unit: 's',
  })
  sinceSuccess.addCallback((result) => lastSuccess.observe((seconds, attributes) => result.observe(seconds, attributes)))
  return {
    rows: meter.createCounter('outflow.rows', { description: 'Rows handled by sync runs, by outcome', unit: '{row}' }),
    requests: meter.createCounter('outflow.requests', { description: 'HTTP requests sent to vendors, by status code', unit: '{request}' }),
    rateLimited: meter.createCounter('outflow.requests.rate_limited', {
      description: 'HTTP requests vendors answered with 429 Too Many Requests',
      unit: '{request}',
    }),
    retries: meter.createCounter('outflow.requests.retries', {
      description: 'HTTP requests that repeat an earlier attempt of the same batch',
      unit: '{request}',
    }),
    requestDuration: meter.createHistogram('http.client.request.duration', {
      description: 'Duration of HTTP requests to vendors',
      unit: 's',
      advice: { explicitBucketBoundaries: REQUEST_SECONDS },
    }),
    runDuration: meter.createHistogram('outflow.run.duration', {
      description: 'Duration of sync runs, by status',
      unit: 's',
      advice: { explicitBucketBoundaries: RUN_SECONDS },
    }),
  }
}
