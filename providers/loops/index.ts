import type { VendorPlugin } from '../../src/destinations/vendor-plugin.js'
import { loopsCatalog } from './loops-catalog.js'

/** Loops: its catalog, and its connector and reader, loaded on first use. */
export const loopsVendor: VendorPlugin = {
  catalog: loopsCatalog,
  connector: async () => (await import('./loops-connector.js')).createLoopsConnector,
  reader: async () => (await import('./loops-reader.js')).createLoopsReader,
}
