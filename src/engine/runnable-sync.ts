import type { DestinationSpec, SourceSpec, SpecSet, SyncSpec } from '../model/spec-types.js'

/** A sync with the source it reads and the destination it writes: everything a run needs to know. */
export interface RunnableSync {
  sync: SyncSpec
  source: SourceSpec
  destination: DestinationSpec
}

/** The syncs of a spec set, each with its source and destination (a valid set has both). */
export function runnablesOf(specs: SpecSet): RunnableSync[] {
  return specs.syncs.flatMap((sync) => {
    const source = specs.sources.find((s) => s.name === sync.source)
    const destination = specs.destinations.find((d) => d.name === sync.destination)
    return source === undefined || destination === undefined ? [] : [{ sync, source, destination }]
  })
}
