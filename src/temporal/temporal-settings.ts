import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile, type ClientConnectConfig } from '@temporalio/envconfig'

import { OutflowError } from '../errors.js'

/** The task queue workers poll when none is given. */
export const DEFAULT_TASK_QUEUE = 'outflow'

/**
 * Where the workflow engine is and how to reach it, as the command line gives it. Anything not
 * given comes from Temporal's own configuration: the `TEMPORAL_*` environment variables
 * (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS_*`) and the
 * profile file (`TEMPORAL_CONFIG_FILE`, `TEMPORAL_PROFILE`), read by Temporal's envconfig package,
 * so a worker configured for the `temporal` CLI needs nothing more. An API key is read only from
 * there, never from a flag (flags show up in process lists).
 */
export interface TemporalSettings {
  address?: string | undefined
  namespace?: string | undefined
  taskQueue?: string | undefined
  profile?: string | undefined
  tls?: boolean | undefined
  tlsCertPath?: string | undefined
  tlsKeyPath?: string | undefined
  tlsCaPath?: string | undefined
  tlsServerName?: string | undefined
}

/** The settings resolved: what to connect to, in which namespace, on which task queue. */
export interface ResolvedTemporal {
  address: string
  namespace: string
  taskQueue: string
  connect: ClientConnectConfig
}

/** Merges the command line's settings over Temporal's environment and profile. */
export function resolveTemporal(settings: TemporalSettings, env: NodeJS.ProcessEnv = process.env): ResolvedTemporal {
  let profile: ClientConfigProfile
  try {
    profile = loadClientConfigProfile({
      ...(settings.profile === undefined ? {} : { profile: settings.profile }),
      overrideEnvVars: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    })
  } catch (error) {
    throw new OutflowError(
      'SPEC_INVALID',
      `cannot read the Temporal configuration: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const address = settings.address ?? profile.address
  if (address === undefined || address.trim() === '') {
    throw new OutflowError('SPEC_INVALID', 'no Temporal server given: pass --temporal-address host:port, or set TEMPORAL_ADDRESS')
  }
  const tlsGiven = [settings.tlsCertPath, settings.tlsKeyPath, settings.tlsCaPath, settings.tlsServerName].some((v) => v !== undefined)
  const tls =
    settings.tls === true || tlsGiven
      ? {
          ...profile.tls,
          disabled: false,
          ...(settings.tlsCertPath === undefined ? {} : { clientCert: { path: settings.tlsCertPath } }),
          ...(settings.tlsKeyPath === undefined ? {} : { clientKey: { path: settings.tlsKeyPath } }),
          ...(settings.tlsCaPath === undefined ? {} : { serverCACert: { path: settings.tlsCaPath } }),
          ...(settings.tlsServerName === undefined ? {} : { serverName: settings.tlsServerName }),
        }
      : profile.tls
  const namespace = settings.namespace ?? profile.namespace ?? 'default'
  const merged: ClientConfigProfile = { ...profile, address, namespace, ...(tls === undefined ? {} : { tls }) }
  return { address, namespace, taskQueue: settings.taskQueue ?? DEFAULT_TASK_QUEUE, connect: toClientOptions(merged) }
}

/** The error a command shows when the server cannot be reached. */
export function unreachable(temporal: ResolvedTemporal, error: unknown): OutflowError {
  const detail = error instanceof Error ? error.message : String(error)
  return new OutflowError(
    'WORKFLOW_ENGINE_UNAVAILABLE',
    `cannot reach the Temporal server at ${temporal.address} (namespace "${temporal.namespace}"): ${detail}; start it or check --temporal-address and TEMPORAL_* settings`,
    { cause: error },
  )
}
