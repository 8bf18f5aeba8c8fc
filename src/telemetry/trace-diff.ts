import { inSpan } from './in-span.js'
import { ATTRIBUTES } from './telemetry-attributes.js'

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
export function traceDiff<C extends DiffOutcome>(sync: DiffTarget, diff: () => Promise<C>): Promise<C> {
  const attributes = { [ATTRIBUTES.sync]: sync.name, [ATTRIBUTES.source]: sync.source, [ATTRIBUTES.destination]: sync.destination }
  return inSpan(`diff ${sync.name}`, attributes, diff, (changes, span) =>
    span.setAttributes({
      'outflow.diff.added': changes.counts.added,
      'outflow.diff.changed': changes.counts.changed,
      'outflow.diff.removed': changes.counts.removed,
      'outflow.diff.rejected': changes.rejectedRows,
      [ATTRIBUTES.fullResync]: changes.fullResync,
    }),
  )
}
