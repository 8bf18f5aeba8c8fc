import type { DestinationCatalog, DestinationType, ObjectDescriptor } from '../src/destinations/destination-catalog.js'
import type { VendorPlugin } from '../src/destinations/vendor-plugin.js'
import { brazeVendor } from './braze/index.js'
import { clevertapVendor } from './clevertap/index.js'
import { courierVendor } from './courier/index.js'
import { loopsVendor } from './loops/index.js'

/**
 * Every vendor Outflow supports, one record each, by the `type` its `Destination` specs use. A
 * new vendor is a folder under `providers/` and one line here (and, for its emulator, one in
 * `emulator-registry.ts`).
 */
export const VENDORS: Readonly<Record<DestinationType, VendorPlugin>> = {
  loops: loopsVendor,
  braze: brazeVendor,
  clevertap: clevertapVendor,
  courier: courierVendor,
}

/** Every vendor's catalog, by destination type. */
export const DESTINATION_CATALOGS: Readonly<Record<DestinationType, DestinationCatalog>> = {
  loops: VENDORS.loops.catalog,
  braze: VENDORS.braze.catalog,
  clevertap: VENDORS.clevertap.catalog,
  courier: VENDORS.courier.catalog,
}

/** The descriptor of `object` at destination `type`, or undefined when it has no such object. */
export function findObjectDescriptor(type: DestinationType, object: string): ObjectDescriptor | undefined {
  return Object.hasOwn(DESTINATION_CATALOGS[type].objects, object) ? DESTINATION_CATALOGS[type].objects[object] : undefined
}
