import { relative } from 'node:path'

import * as pulumi from '@pulumi/pulumi'

import { OutflowError } from '../errors.js'
import { loadValidSpecs } from '../spec/load-valid-specs.js'
import type { SourceSpec } from '../model/spec-types.js'
import { configSecrets } from './config-secrets.js'
import { DestinationConnection } from './destination-connection.js'
import { prepareRequestsFor } from './prepare-requests.js'
import { Sync } from './sync.js'
import type { SyncTemporal } from './runtime/sync-types.js'

/** Options of {@link declareOutflow}. */
export interface DeclareOutflowOptions {
  /**
   * Directory (or file) of the specs, relative to the Pulumi project.
   * @default 'syncs'
   */
  dir?: string
  /**
   * Where `{ secret: NAME }` references are read: key NAME of this config.
   * @default new pulumi.Config() (the project's own namespace)
   */
  config?: pulumi.Config
  /** Options given to every resource (`protect`, `parent`, `provider`...); each `Sync` also depends on its connection. */
  resourceOptions?: pulumi.CustomResourceOptions
  /**
   * A Temporal server where each scheduled sync gets a Temporal Schedule that starts its runs on
   * Outflow workers (`outflow worker`), created, updated and deleted with the sync. TLS and API
   * key settings are read from the `TEMPORAL_*` environment of `pulumi`.
   * @default config keys `temporalAddress`, `temporalNamespace`, `temporalTaskQueue`, when set
   */
  temporal?: SyncTemporal
}

/** The resources {@link declareOutflow} declared, by spec name. */
export interface OutflowResources {
  connections: Record<string, DestinationConnection>
  syncs: Record<string, Sync>
}

/**
 * Loads and validates the specs in `dir`, then declares one {@link DestinationConnection} per
 * `Destination` and one {@link Sync} per `Sync`, each sync depending on its connection. Resources
 * are named after their specs. Invalid specs fail the program (and so `pulumi preview`) with every
 * problem as `file:line:col  /pointer  message`; an unset config secret fails it too, naming the
 * key to set.
 *
 * @example
 * ```ts
 * // index.ts of a Pulumi project; `pulumi config set --secret LOOPS_API_KEY ...` for each secret
 * import { declareOutflow } from 'outflow/pulumi'
 *
 * const outflow = await declareOutflow({ dir: 'syncs' })
 * export const syncs = Object.keys(outflow.syncs)
 * ```
 */
export async function declareOutflow(options: DeclareOutflowOptions = {}): Promise<OutflowResources> {
  const specs = await loadValidSpecs(options.dir ?? 'syncs')
  const config = options.config ?? new pulumi.Config()
  // Every secret is looked up before any resource is declared, so a missing one declares nothing.
  const destinationSecrets = specs.destinations.map((d) => configSecrets(config, `destination "${d.name}"`, d.connection))
  const sourceSecrets = new Map(specs.sources.map((s) => [s.name, configSecrets(config, `source "${s.name}"`, s.connection)]))
  const connections: Record<string, DestinationConnection> = {}
  specs.destinations.forEach((destination, index) => {
    const args = { destination, prepare: prepareRequestsFor(specs, destination), credentials: destinationSecrets[index] }
    connections[destination.name] = new DestinationConnection(destination.name, args, options.resourceOptions)
  })
  const temporal = options.temporal ?? temporalFromConfig(config)
  const syncs: Record<string, Sync> = {}
  for (const sync of specs.syncs) {
    const connection = connections[sync.destination]
    const destination = specs.destinations.find((d) => d.name === sync.destination)
    const source = specs.sources.find((s) => s.name === sync.source)
    if (connection === undefined || destination === undefined || source === undefined) {
      throw new OutflowError('INTERNAL', `sync "${sync.name}": its destination or source is missing from specs that passed validation`)
    }
    const args = {
      sync,
      destination,
      source: portableSource(source),
      credentials: sourceSecrets.get(source.name),
      connectionId: connection.id,
      temporal,
    }
    syncs[sync.name] = new Sync(sync.name, args, pulumi.mergeOptions(options.resourceOptions, { dependsOn: [connection] }))
  }
  return { connections, syncs }
}

/**
 * The source as Pulumi state keeps it: a DuckDB file relative to the Pulumi project directory
 * (where the provider host runs), so that the stack applies the same from any checkout or machine.
 */
function portableSource(source: SourceSpec): SourceSpec {
  const connection = source.connection
  if (connection.type !== 'duckdb' || connection.path === undefined || connection.path === ':memory:') return source
  return { ...source, connection: { ...connection, path: relative(process.cwd(), connection.path) || '.' } }
}

/** The Temporal server of the project's config (`pulumi config set temporalAddress host:port`), if any. */
function temporalFromConfig(config: pulumi.Config): SyncTemporal | undefined {
  const address = config.get('temporalAddress')
  if (address === undefined || address === '') return undefined
  return { address, namespace: config.get('temporalNamespace'), taskQueue: config.get('temporalTaskQueue') }
}
