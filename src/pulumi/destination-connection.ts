import * as pulumi from '@pulumi/pulumi'

import type { PrepareRequest } from '../destinations/destination.js'
import type { DestinationSpec } from '../model/spec-types.js'
import type { ConnectionInputs, ConnectionOutputs } from './runtime/connection-types.js'

/*
 * Pulumi stores this object, serialized to text, in the state of every connection, and runs that
 * text (not the installed code) for refresh and destroy. So it captures nothing: each method loads
 * the installed runtime by package name, and the stored text stays small and never goes stale.
 */
const connectionProvider: pulumi.dynamic.ResourceProvider<ConnectionInputs, ConnectionOutputs> = {
  async check(olds, news) {
    return (await import('outflow/pulumi-runtime')).checkConnection(olds, news)
  },
  async diff(id, olds, news) {
    return (await import('outflow/pulumi-runtime')).diffConnection(id, olds, news)
  },
  async create(inputs) {
    return (await import('outflow/pulumi-runtime')).createConnection(inputs)
  },
  async read(id, props) {
    return (await import('outflow/pulumi-runtime')).readConnection(id, props as ConnectionOutputs)
  },
  async update(id, olds, news) {
    return (await import('outflow/pulumi-runtime')).updateConnection(id, olds, news)
  },
  async delete(id, props) {
    await (await import('outflow/pulumi-runtime')).deleteConnection(id, props)
  },
}

/** Arguments of a {@link DestinationConnection}. */
export interface DestinationConnectionArgs {
  /** The `Destination` spec, as `loadValidSpecs` returns it. */
  destination: pulumi.Input<DestinationSpec>
  /**
   * What each sync writing through this connection needs at the destination, by sync name
   * (`prepareRequestOf`).
   * @default {}
   */
  prepare?: pulumi.Input<Record<string, PrepareRequest>> | undefined
  /**
   * Values of the destination's `{ secret: NAME }` references, by NAME. Always stored as a Pulumi
   * secret. `{ env: NAME }` references are read from the environment of `pulumi` itself.
   * @default {}
   */
  credentials?: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined
}

/**
 * A connection to a SaaS destination. Creating or updating it checks the credentials with the
 * vendor (a refused key fails `pulumi up`, naming the destination and the config secret, never
 * the key) and prepares what its syncs need there: Loops custom properties, Courier lists. A
 * refresh reports refused credentials and missing properties or lists as drift. Deleting it
 * leaves the destination as it is.
 *
 * Its type is `pulumi-nodejs:dynamic/outflow:DestinationConnection`; its id is the destination's name.
 */
export class DestinationConnection extends pulumi.dynamic.Resource {
  /** The `Destination` spec. */
  declare readonly destination: pulumi.Output<DestinationSpec>
  /** Whether the vendor accepted the credentials at the last create, update or refresh. */
  declare readonly verified: pulumi.Output<boolean>
  /** What the vendor said about the credentials, or why it refused them. */
  declare readonly status: pulumi.Output<string>
  /** What preparation made sure exists at the destination. */
  declare readonly prepared: pulumi.Output<string[]>
  /** What the last refresh found missing at the destination. */
  declare readonly missing: pulumi.Output<string[]>

  constructor(name: string, args: DestinationConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      verified: undefined,
      status: undefined,
      prepared: undefined,
      missing: undefined,
      destination: args.destination,
      prepare: args.prepare ?? {},
      credentials: pulumi.secret(args.credentials ?? {}),
    }
    super(connectionProvider, name, inputs, opts, 'outflow', 'DestinationConnection')
  }
}
