import type { dynamic } from '@pulumi/pulumi'

import { syncSpecHash } from '../../spec/spec-hash.js'
import { readRegisteredSpec, registerSpec, unregisterSpec } from '../../warehouse/state/spec-registry.js'
import { plainJson, sameJson } from './plain-json.js'
import { providerError } from './provider-error.js'
import { scheduleSync, unscheduleSync } from './sync-schedule.js'
import { withStateStore, type StateStore } from './state-store.js'
import type { SyncInputs, SyncOutputs } from './sync-types.js'

/**
 * `create` of a `Sync`: registers the spec, its destination and its hash in the state store of its
 * source, which is what the runner runs. A registration already under that name (left by a lost
 * Pulumi state, say) is taken over. The id is the sync's name.
 */
export async function createSync(inputs: SyncInputs): Promise<dynamic.CreateResult<SyncOutputs>> {
  const outs = registration(inputs)
  await onStore(outs, (store) => register(store, outs))
  await scheduleSync(outs)
  return { id: outs.sync.name, outs }
}

/**
 * `update` of a `Sync`: registers the new spec. When the state store itself moved (another
 * warehouse or state schema), the old registration is removed first, so the runner there stops.
 */
export async function updateSync(id: string, olds: SyncOutputs, news: SyncInputs): Promise<dynamic.UpdateResult<SyncOutputs>> {
  const outs = registration(news)
  if (!sameStateStore(olds, outs)) await onStore(olds, (store) => unregisterSpec(store.adapter, store.schema, id))
  await onStore(outs, (store) => register(store, outs))
  // A schedule moved to another server (or dropped) is removed where it was.
  if (olds.temporal !== undefined && !sameJson(olds.temporal, outs.temporal ?? null)) await unscheduleSync(olds)
  await scheduleSync(outs)
  return { outs }
}

/**
 * `read` of a `Sync` (refresh): what the state store holds under its name, so that a spec changed
 * there by hand shows up as drift, and a removed one as gone (`{}`).
 */
export async function readSync(id: string, props: SyncOutputs): Promise<dynamic.ReadResult<SyncOutputs>> {
  const registered = await onStore(props, (store) => readRegisteredSpec(store.adapter, store.schema, id))
  if (registered === undefined) return {}
  // The source and credentials are not part of the registration: they are where it was read from.
  const { source, credentials, connectionId } = props
  const live = plainJson({
    sync: registered.spec,
    destination: registered.destination,
    source,
    credentials,
    connectionId,
    specHash: registered.specHash,
  })
  return { id, props: live, inputs: live }
}

/**
 * `delete` of a `Sync`: removes its registration, so the runner stops running it. Its snapshot,
 * its history and everything it wrote at the destination stay. Idempotent.
 */
export async function deleteSync(id: string, props: SyncOutputs): Promise<void> {
  await onStore(props, (store) => unregisterSpec(store.adapter, store.schema, id))
  await unscheduleSync(props)
}

/** The outputs for `inputs`, with the hash of the spec itself. */
function registration(inputs: SyncInputs): SyncOutputs {
  const { sync, destination, source, credentials, connectionId, temporal } = inputs
  return plainJson({
    sync,
    destination,
    source,
    credentials,
    connectionId,
    specHash: syncSpecHash(sync),
    ...(temporal === undefined ? {} : { temporal }),
  })
}

function register(store: StateStore, outs: SyncOutputs): Promise<void> {
  return registerSpec(store.adapter, store.schema, outs.sync, outs.destination, outs.specHash)
}

/** Runs `work` on the state store of a sync's source; errors name the sync and carry no credential. */
async function onStore<T>(outs: SyncOutputs, work: (store: StateStore) => Promise<T>): Promise<T> {
  // A state written by a release without credentials has none; the state store then needs none.
  const credentials = (outs as Partial<SyncOutputs>).credentials ?? {}
  const secrets = Object.values(credentials)
  try {
    return await withStateStore(outs.source, credentials, secrets, work)
  } catch (error) {
    throw providerError(`sync "${outs.sync.name}"`, error, secrets)
  }
}

/** Whether two sync states keep their registration in the same place: same warehouse connection and state schema. */
function sameStateStore(a: SyncOutputs, b: SyncOutputs): boolean {
  const place = (outs: SyncOutputs) => ({ ...outs.source.connection, memoryLimit: undefined })
  return sameJson(place(a), place(b))
}
