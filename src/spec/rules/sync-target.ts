import type { DestinationType, ObjectDescriptor } from '../../destinations/destination-catalog.js'
import { DESTINATION_CATALOGS, findObjectDescriptor } from '../../../providers/registry.js'
import type { SyncSpec } from '../../model/spec-types.js'
import type { RuleContext } from './rule.js'

/** The destination a sync writes to and its object descriptor, when both exist. */
export interface SyncTarget {
  type: DestinationType
  displayName: string
  descriptor: ObjectDescriptor
}

/**
 * Resolves the sync's destination and object. Undefined when either is unknown: the
 * references and object rules report that, so the others skip the sync instead of repeating it.
 */
export function findSyncTarget(context: RuleContext, sync: SyncSpec): SyncTarget | undefined {
  const destination = context.destinations.find((d) => d.spec.name === sync.destination)
  if (destination === undefined) return undefined
  const type = destination.spec.connection.type
  const descriptor = findObjectDescriptor(type, sync.object)
  return descriptor === undefined ? undefined : { type, displayName: DESTINATION_CATALOGS[type].displayName, descriptor }
}
