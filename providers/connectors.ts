import type { Dispatcher } from 'undici'

import type { CredentialSource } from '../src/credentials/resolve-credential.js'
import type { DestinationSpec } from '../src/model/spec-types.js'
import type { ConnectorOptions, DestinationConnector } from '../src/destinations/destination.js'
import { VENDORS } from './registry.js'

/** Builds the connector for a destination connection. */
export async function createConnector(options: ConnectorOptions): Promise<DestinationConnector> {
  const factory = await VENDORS[options.connection.type].connector()
  return factory(options)
}

/** Builds the connector of a `Destination` spec, with credentials from `credentials` (the environment by default). */
export function connectorFor(
  destination: DestinationSpec,
  options: { credentials?: CredentialSource | undefined; dispatcher?: Dispatcher | undefined } = {},
): Promise<DestinationConnector> {
  return createConnector({
    name: destination.name,
    connection: destination.connection,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  })
}
