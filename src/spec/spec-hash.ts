import { createHash } from 'node:crypto'

import type { SyncSpec } from './spec-types.js'

/**
 * A hash of what a sync sends: its source, model, destination, object, behavior, key, mappings
 * and options. Name, description, labels, schedule and safety limits are left out: changing them
 * changes nothing at the destination, so it must not force a full resync.
 */
export function syncSpecHash(sync: SyncSpec): string {
  const { source, model, destination, object, behavior, key, mappings, options } = sync
  return createHash('sha256').update(canonicalJson({ source, model, destination, object, behavior, key, mappings, options })).digest('hex')
}

/** JSON with object keys sorted and `undefined` dropped, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}
