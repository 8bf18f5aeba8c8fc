import type { DestinationCatalog } from './destination-catalog.js'
import type { ConnectorFactory } from './destination.js'
import type { ReaderFactory } from './record-reader.js'

/**
 * Everything Outflow knows of one vendor, as its folder exports it (`providers/<vendor>/index.ts`):
 * the catalog, read at once (validation needs it), and the connector and reader, loaded on first
 * use, so that a command talking to one vendor loads only that vendor's code.
 */
export interface VendorPlugin {
  catalog: DestinationCatalog
  connector(): Promise<ConnectorFactory>
  reader(): Promise<ReaderFactory>
}
