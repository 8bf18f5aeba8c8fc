import type { PrepareRequest } from '../destinations/destination.js'
import { prepareRequestOf } from '../destinations/prepare-request.js'
import { findObjectDescriptor } from '../../providers/registry.js'
import type { DestinationSpec, SpecSet } from '../model/spec-types.js'

/** What each sync writing to `destination` needs prepared there, by sync name: a `DestinationConnection`'s `prepare` input. */
export function prepareRequestsFor(specs: SpecSet, destination: DestinationSpec): Record<string, PrepareRequest> {
  const requests: Record<string, PrepareRequest> = {}
  for (const sync of specs.syncs) {
    const object = findObjectDescriptor(destination.connection.type, sync.object)
    if (sync.destination === destination.name && object !== undefined) requests[sync.name] = prepareRequestOf(sync, object)
  }
  return requests
}
