import type { VendorPlugin } from '../../src/destinations/vendor-plugin.js'
import { clevertapCatalog } from './clevertap-catalog.js'

/** CleverTap: its catalog, and its connector and reader, loaded on first use. */
export const clevertapVendor: VendorPlugin = {
  catalog: clevertapCatalog,
  connector: async () => (await import('./clevertap-connector.js')).createClevertapConnector,
  reader: async () => (await import('./clevertap-reader.js')).createClevertapReader,
}
