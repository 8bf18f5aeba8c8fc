import * as pulumi from '@pulumi/pulumi'

import { syncSpecHash } from '../spec/spec-hash.js'
import type { DestinationSpec, SourceSpec, SyncSpec } from '../model/spec-types.js'
import type { SyncInputs, SyncOutputs, SyncTemporal } from './runtime/sync-types.js'

/*
 * Pulumi stores this object, serialized to text, in the state of every sync, and runs that text
 * (not the installed code) for refresh and destroy. So it captures nothing: each method loads the
 * installed runtime by package name, and the stored text stays small and never goes stale.
 */
const syncProvider: pulumi.dynamic.ResourceProvider<SyncInputs, SyncOutputs> = {
  async check(olds, news) {
    return (await import('outflow/pulumi-runtime')).checkSync(olds, news)
  },
  async diff(id, olds, news) {
    return (await import('outflow/pulumi-runtime')).diffSync(id, olds, news)
  },
  async create(inputs) {
    return (await import('outflow/pulumi-runtime')).createSync(inputs)
  },
  async read(id, props) {
    return (await import('outflow/pulumi-runtime')).readSync(id, props as SyncOutputs)
  },
  async update(id, olds, news) {
    return (await import('outflow/pulumi-runtime')).updateSync(id, olds, news)
  },
  async delete(id, props) {
    await (await import('outflow/pulumi-runtime')).deleteSync(id, props)
  },
}

/** Arguments of a {@link Sync}. */
export interface SyncArgs {
  /** The `Sync` spec, as `loadValidSpecs` returns it. */
  sync: pulumi.Input<SyncSpec>
  /** The `Destination` spec the sync names. */
  destination: pulumi.Input<DestinationSpec>
  /** The `Source` spec the sync names; its warehouse holds the state store. */
  source: pulumi.Input<SourceSpec>
  /**
   * Values of the source's `{ secret: NAME }` references, by NAME. Always stored as a Pulumi
   * secret. `{ env: NAME }` references are read from the environment of `pulumi` itself.
   * @default {}
   */
  credentials?: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined
  /** The id of the {@link DestinationConnection} the sync writes through. */
  connectionId?: pulumi.Input<string> | undefined
  /** A Temporal server: the sync's cron or interval becomes a Temporal Schedule there, kept with the registration. */
  temporal?: pulumi.Input<SyncTemporal> | undefined
}

/**
 * A sync, registered in the state store of its source's warehouse: the runner runs what is
 * registered there, never the working tree. Creating or updating it registers the spec and its
 * hash; a new `specHash` in a preview means the next run resyncs every row. A new destination,
 * object or key replaces it. Deleting it unregisters it (the runner stops running it) and leaves
 * the destination's data as it is. A refresh reads the registration back, so a spec changed or
 * removed there shows up as drift.
 *
 * Its type is `pulumi-nodejs:dynamic/outflow:Sync`; its id is the sync's name.
 */
export class Sync extends pulumi.dynamic.Resource {
  /** The `Sync` spec, as registered. */
  declare readonly sync: pulumi.Output<SyncSpec>
  /** The `Destination` spec registered with it. */
  declare readonly destination: pulumi.Output<DestinationSpec>
  /** The hash of what the sync sends; it changes exactly when the next run resyncs every row. */
  declare readonly specHash: pulumi.Output<string>

  constructor(name: string, args: SyncArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs = {
      sync: args.sync,
      destination: args.destination,
      source: args.source,
      credentials: pulumi.secret(args.credentials ?? {}),
      connectionId: args.connectionId,
      temporal: args.temporal,
      specHash: pulumi.output(args.sync).apply((sync) => syncSpecHash(sync as SyncSpec)),
    }
    super(syncProvider, name, inputs, opts, 'outflow', 'Sync')
  }
}
