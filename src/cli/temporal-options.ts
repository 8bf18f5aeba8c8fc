import type { Command } from 'commander'

import type { ResolvedTemporal, TemporalSettings } from '../temporal/temporal-settings.js'
import { temporalModules } from '../temporal/temporal-modules.js'

/** The Temporal options as commander parses them. */
export interface TemporalOptions {
  temporal?: boolean
  temporalAddress?: string
  namespace?: string
  taskQueue?: string
  temporalProfile?: string
  tls?: boolean
  tlsCertPath?: string
  tlsKeyPath?: string
  tlsCaPath?: string
  tlsServerName?: string
}

/** Adds the options that say where the workflow engine is, the same on `worker`, `run` and `schedule`. */
export function withTemporalOptions(command: Command, { withSwitch }: { withSwitch: boolean }): Command {
  if (withSwitch)
    command.option('--temporal', 'run on Outflow workers through Temporal (address and namespace from TEMPORAL_* or the profile)')
  return command
    .option('--temporal-address <host:port>', `Temporal server${withSwitch ? ' (implies --temporal)' : ''}; default $TEMPORAL_ADDRESS`)
    .option('--namespace <name>', 'Temporal namespace; default $TEMPORAL_NAMESPACE, else "default"')
    .option('--task-queue <name>', 'task queue of the Outflow workers', 'outflow')
    .option('--temporal-profile <name>', 'profile of the Temporal configuration file ($TEMPORAL_CONFIG_FILE); default $TEMPORAL_PROFILE')
    .option('--tls', 'connect with TLS (Temporal Cloud); the API key, if any, is read from $TEMPORAL_API_KEY')
    .option('--tls-cert-path <file>', 'client certificate for mTLS')
    .option('--tls-key-path <file>', 'client key for mTLS')
    .option('--tls-ca-path <file>', 'server CA certificate')
    .option('--tls-server-name <name>', 'server name to verify')
}

/** Whether the command should go through the workflow engine. */
export function usesTemporal(options: TemporalOptions): boolean {
  return options.temporal === true || options.temporalAddress !== undefined
}

/** The resolved engine settings of a command's options. */
export async function temporalOf(options: TemporalOptions): Promise<ResolvedTemporal> {
  const settings: TemporalSettings = {
    address: options.temporalAddress,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    profile: options.temporalProfile,
    tls: options.tls,
    tlsCertPath: options.tlsCertPath,
    tlsKeyPath: options.tlsKeyPath,
    tlsCaPath: options.tlsCaPath,
    tlsServerName: options.tlsServerName,
  }
  return (await temporalModules()).resolveTemporal(settings)
}
