import type { Dispatcher } from 'undici'

import type { CredentialSource } from '../credentials/resolve-credential.js'
import type { DestinationSpec } from '../spec/spec-types.js'
import type { ConnectorFactory, ConnectorOptions, DestinationConnector } from './destination.js'
import type { DestinationType } from './destination-catalog.js'

/**
 * The connector of each destination type, loaded on first use: a command that talks to one vendor
 * loads only that vendor's code.
 */
const FACTORIES: Readonly<Record<DestinationType, () => Promise<ConnectorFactory>>> = {
  loops: async () => (await import('../../providers/loops/index.js')).createLoopsConnector,
  braze: async () => (await import('../../providers/braze/index.js')).createBrazeConnector,
  clevertap: async () => (await import('../../providers/clevertap/index.js')).createClevertapConnector,
  courier: async () => (await import('../../providers/courier/index.js')).createCourierConnector,
}

/** Builds the connector for a destination connection. */
export async function createConnector(options: ConnectorOptions): Promise<DestinationConnector> {
  const factory = await FACTORIES[options.connection.type]()
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
