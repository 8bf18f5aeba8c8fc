import type { VendorPlugin } from '../../src/destinations/vendor-plugin.js'
import { courierCatalog } from './courier-catalog.js'

/** Courier: its catalog, and its connector and reader, loaded on first use. */
export const courierVendor: VendorPlugin = {
  catalog: courierCatalog,
  connector: async () => (await import('./courier-connector.js')).createCourierConnector,
  reader: async () => (await import('./courier-reader.js')).createCourierReader,
}
