import { resolveCredential } from '../credentials/resolve-credential.js'
import type { CredentialReference, DestinationSpecDocument } from '../model/spec-document-types.generated.js'
import { connectionOfType } from './connector-support.js'
import type { DestinationType } from './destination-catalog.js'
import type { ConnectorOptions } from './destination.js'
import type { VendorClient } from './vendor-client.js'

/** The connection options a vendor's client is built from, besides its credentials. */
export type ClientTransport = Pick<VendorClient, 'dispatcher' | 'timeoutMs' | 'vendor' | 'destination'>

/**
 * How a vendor's client (base URL, auth headers) is built from its connection: one function per
 * vendor (`<vendor>-client.ts`), used by its connector and its reader alike. `credential`
 * resolves a reference, naming what needs it in an error.
 */
export type ClientBuilder<T extends DestinationType, Client extends VendorClient> = (
  connection: Extract<DestinationSpecDocument, { type: T }>,
  credential: (reference: CredentialReference, what: string) => string,
  transport: ClientTransport,
) => Client

/**
 * The client of a connection, built on first use, so that building a connector or reader never
 * needs the secret.
 */
export function lazyVendorClient<T extends DestinationType, Client extends VendorClient>(
  options: ConnectorOptions,
  type: T,
  build: ClientBuilder<T, Client>,
): () => Client {
  let client: Client | undefined
  return () =>
    (client ??= build(
      connectionOfType(options, type),
      (reference, what) => resolveCredential(reference, `destination "${options.name}" ${what}`, options.credentials),
      { dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, vendor: type, destination: options.name },
    ))
}
