import { createHash } from 'node:crypto'

import { canonicalJson } from '../canonical-json.js'

import type { SyncModel, SyncSpec } from '../model/spec-types.js'

/**
 * A hash of what a sync sends: its source, model, destination, object, behavior, key, mappings
 * and options. Name, description, labels, schedule and safety limits are left out: changing them
 * changes nothing at the destination, so it must not force a full resync. Of a dbt model, only
 * its name and relation count: what dbt says of it (description, documented columns) does not.
 */
export function syncSpecHash(sync: SyncSpec): string {
  const { source, destination, object, behavior, key, mappings, options } = sync
  const model = modelIdentity(sync.model)
  return createHash('sha256').update(canonicalJson({ source, model, destination, object, behavior, key, mappings, options })).digest('hex')
}

function modelIdentity(model: SyncModel): unknown {
  return 'dbt' in model ? { dbt: model.dbt, table: model.table } : model
}
