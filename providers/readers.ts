import type { Dispatcher } from 'undici'

import type { CredentialSource } from '../src/credentials/resolve-credential.js'
import type { DestinationSpec } from '../src/model/spec-types.js'
import { VENDORS } from './registry.js'
import type { RecordReader } from '../src/destinations/record-reader.js'
import { capRateLimits } from '../src/destinations/request-rate-cap.js'

/** Builds the reader of a `Destination` spec, with credentials from `credentials` (the environment by default). */
export async function readerFor(
  destination: DestinationSpec,
  options: { credentials?: CredentialSource | undefined; dispatcher?: Dispatcher | undefined } = {},
): Promise<RecordReader> {
  const factory = await VENDORS[destination.connection.type].reader()
  const reader = factory({
    name: destination.name,
    connection: destination.connection,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  })
  // The read endpoints' own groups keep to the connection's `maxRequestsPerSecond`, as the connector's do.
  const { maxRequestsPerSecond } = destination.connection
  return { ...reader, rateLimits: capRateLimits(destination.name, reader.rateLimits, maxRequestsPerSecond, reader.unlimitedGroups) }
}
