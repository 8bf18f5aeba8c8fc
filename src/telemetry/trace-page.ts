import { inSpan } from './in-span.js'
import { ATTRIBUTES, runTargetAttributes, type RunTarget } from './telemetry-attributes.js'

/** Which page of which run a worker delivers. */
export interface PageTarget {
  runId: string
  page: number
}

/**
 * Delivers one page of a run spread over Temporal workers inside a span, `page <sync>`, the
 * parent of the page's requests. A run on Temporal has no span of its own: its pages run on
 * whichever workers are free, so each page is traced where it runs, labelled with its run's id.
 * With traces off it only calls `deliver`.
 */
export function tracePage<T>(target: RunTarget, page: PageTarget, deliver: () => Promise<T>): Promise<T> {
  const attributes = { ...runTargetAttributes(target), [ATTRIBUTES.runId]: page.runId, [ATTRIBUTES.page]: page.page }
  return inSpan(`page ${target.sync.name}`, attributes, deliver)
}
