import { activeTelemetry } from './active-telemetry.js'
import { ATTRIBUTES, errorTypeOf } from './telemetry-attributes.js'

/** The slice of a sync spec a diff span names. */
export interface DiffTarget {
  name: string
  source: string
  destination: string
}

/** The slice of a change set a diff span reports: counts only. */
export interface DiffOutcome {
  counts: { added: number; changed: number; removed: number }
  /** Rows the diff itself refused (null and duplicate keys). */
  rejectedRows: number
  fullResync: boolean
}

/**
 * Runs a sync's diff in the warehouse inside a span, `diff <sync>` (a child of the run's span, or
 * a root of its own on a Temporal worker), ending with what it found: rows added, changed, removed
 * and refused. With traces off it only calls `diff`.
 */
export async function traceDiff<C extends DiffOutcome>(sync: DiffTarget, diff: () => Promise<C>): Promise<C> {
  const telemetry = activeTelemetry()
  if (telemetry?.tracer === undefined) return diff()
  const { api, tracer } = telemetry
  const attributes = { [ATTRIBUTES.sync]: sync.name, [ATTRIBUTES.source]: sync.source, [ATTRIBUTES.destination]: sync.destination }
  return tracer.startActiveSpan(`diff ${sync.name}`, { kind: api.SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      const changes = await diff()
      span.setAttributes({
        'outflow.diff.added': changes.counts.added,
        'outflow.diff.changed': changes.counts.changed,
        'outflow.diff.removed': changes.counts.removed,
        'outflow.diff.rejected': changes.rejectedRows,
        [ATTRIBUTES.fullResync]: changes.fullResync,
      })
      return changes
    } catch (error) {
      span.setAttribute(ATTRIBUTES.errorType, errorTypeOf(error))
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorTypeOf(error) })
      throw error
    } finally {
      span.end()
    }
  })
}
