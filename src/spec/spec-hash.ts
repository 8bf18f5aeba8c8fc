import { createHash } from 'node:crypto'

import { canonicalJson } from '../canonical-json.js'

import type { SyncSpec } from '../model/spec-types.js'

/**
 * A hash of what a sync sends: its source, model, destination, object, behavior, key, mappings
 * and options. Name, description, labels, schedule and safety limits are left out: changing them
 * changes nothing at the destination, so it must not force a full resync.
 */
export function syncSpecHash(sync: SyncSpec): string {
  const { source, model, destination, object, behavior, key, mappings, options } = sync
  return createHash('sha256').update(canonicalJson({ source, model, destination, object, behavior, key, mappings, options })).digest('hex')
}
