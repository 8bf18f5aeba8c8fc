import type { Dispatcher } from 'undici'

import type { CredentialSource } from '../credentials/resolve-credential.js'
import type { DestinationSpec } from '../spec/spec-types.js'
import type { DestinationType } from './destination-catalog.js'
import type { ReaderFactory, RecordReader } from './record-reader.js'

/** The reader of each destination type, loaded on first use, like the connectors. */
const FACTORIES: Readonly<Record<DestinationType, () => Promise<ReaderFactory>>> = {
  loops: async () => (await import('../../providers/loops/loops-reader.js')).createLoopsReader,
  braze: async () => (await import('../../providers/braze/braze-reader.js')).createBrazeReader,
  clevertap: async () => (await import('../../providers/clevertap/clevertap-reader.js')).createClevertapReader,
  courier: async () => (await import('../../providers/courier/courier-reader.js')).createCourierReader,
}

/** Builds the reader of a `Destination` spec, with credentials from `credentials` (the environment by default). */
export async function readerFor(
  destination: DestinationSpec,
  options: { credentials?: CredentialSource | undefined; dispatcher?: Dispatcher | undefined } = {},
): Promise<RecordReader> {
  const factory = await FACTORIES[destination.connection.type]()
  return factory({
    name: destination.name,
    connection: destination.connection,
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  })
}
