import type { Dispatcher } from 'undici'

import type { CredentialSource } from '../src/credentials/resolve-credential.js'
import type { DestinationSpec } from '../src/model/spec-types.js'
import { VENDORS } from './registry.js'
import type { RecordReader } from '../src/destinations/record-reader.js'

/** Builds the reader of a `Destination` spec, with credentials from `credentials` (the environment by default). */
export async function readerFor(
  destination: DestinationSpec,
  options: { credentials?: CredentialSource | undefined; dispatcher?: Dispatcher | undefined } = {},
): Promise<RecordReader> {
  const factory = await VENDORS[destination.connection.type].reader()
  return factory({
    name: destination.name,
    connection: destination.connection,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  })
}
