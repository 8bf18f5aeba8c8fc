import { brazeCatalog } from '../../providers/braze/braze-catalog.js'
import { clevertapCatalog } from '../../providers/clevertap/clevertap-catalog.js'
import { courierCatalog } from '../../providers/courier/courier-catalog.js'
import { loopsCatalog } from '../../providers/loops/loops-catalog.js'
import type { DestinationCatalog, DestinationType, ObjectDescriptor } from './destination-catalog.js'

/** Every destination Outflow supports, by the `type` its `Destination` specs use. */
export const DESTINATION_CATALOGS: Readonly<Record<DestinationType, DestinationCatalog>> = {
  loops: loopsCatalog,
  braze: brazeCatalog,
  clevertap: clevertapCatalog,
  courier: courierCatalog,
}

/** The descriptor of `object` at destination `type`, or undefined when it has no such object. */
export function findObjectDescriptor(type: DestinationType, object: string): ObjectDescriptor | undefined {
  return Object.hasOwn(DESTINATION_CATALOGS[type].objects, object) ? DESTINATION_CATALOGS[type].objects[object] : undefined
}
