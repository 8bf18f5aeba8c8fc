import type { VendorPlugin } from '../../src/destinations/vendor-plugin.js'
import { brazeCatalog } from './braze-catalog.js'

/** Braze: its catalog, and its connector and reader, loaded on first use. */
export const brazeVendor: VendorPlugin = {
  catalog: brazeCatalog,
  connector: async () => (await import('./braze-connector.js')).createBrazeConnector,
  reader: async () => (await import('./braze-reader.js')).createBrazeReader,
}
