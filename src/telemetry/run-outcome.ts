import type { Attributes } from '@opentelemetry/api'

import { ATTRIBUTES } from './telemetry-attributes.js'

/** Rows of a run by outcome: what `outflow.rows` counts. */
export const ROW_OUTCOMES = ['synced', 'rejected', 'failed', 'unknown', 'baselined'] as const
export type RowOutcome = (typeof ROW_OUTCOMES)[number]

/** The rows a run sent, by why: recorded on its span. */
const CHANGE_KINDS = ['added', 'changed', 'removed', 'retried'] as const

/** The slice of the engine's `SyncRunResult` that telemetry reads: how a run ended, in counts and codes only. */
export interface RunOutcome {
  status: string
  runId: string | undefined
  fullResync: boolean
  counts: Readonly<Record<RowOutcome | (typeof CHANGE_KINDS)[number], number>>
  deliveries: number
  retries: number
  rateLimited: number
  durationMs: number
  error?: { code: string } | undefined
}

/** A run's outcome as span attributes: status, counts and the error's code, never its message (it may name a row's key). */
export function runOutcomeAttributes(outcome: RunOutcome): Attributes {
  const attributes: Attributes = {
    [ATTRIBUTES.runStatus]: outcome.status,
    [ATTRIBUTES.fullResync]: outcome.fullResync,
    'outflow.run.requests': outcome.deliveries,
    'outflow.run.retries': outcome.retries,
    'outflow.run.rate_limited': outcome.rateLimited,
  }
  if (outcome.runId !== undefined) attributes[ATTRIBUTES.runId] = outcome.runId
  for (const kind of [...CHANGE_KINDS, ...ROW_OUTCOMES]) attributes[`outflow.rows.${kind}`] = outcome.counts[kind]
  if (outcome.error !== undefined) attributes[ATTRIBUTES.errorType] = outcome.error.code
  return attributes
}

/** Whether a run's span is marked as an error: it failed, or left rows undelivered. */
export function isFailedRun(outcome: RunOutcome): boolean {
  return outcome.status === 'failed' || outcome.status === 'partial'
}
