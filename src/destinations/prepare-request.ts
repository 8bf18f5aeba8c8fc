import type { SyncSpec } from '../model/spec-types.js'
import type { FieldType, ObjectDescriptor } from './destination-catalog.js'
import type { PrepareRequest } from './destination.js'

/**
 * What a sync needs prepared at its destination `object`: the object, its options, and the fields
 * it writes (the key's field and every column or constant mapping), each typed as the mapping
 * declares, else as the object's standard field, else `string`.
 *
 * `allColumns` mappings add nothing: which fields they write depends on the model's columns,
 * which only a warehouse connection can tell.
 *
 * @example
 * ```ts
 * const object = findObjectDescriptor('loops', sync.object)
 * await connector.prepare(prepareRequestOf(sync, object), gate) // creates the Loops custom properties it lacks
 * ```
 */
export function prepareRequestOf(sync: SyncSpec, object: ObjectDescriptor): PrepareRequest {
  const typeOf = (field: string, declared?: FieldType): FieldType =>
    declared ?? (Object.hasOwn(object.fields, field) ? object.fields[field]?.type : undefined) ?? 'string'
  const fields: Record<string, FieldType> = {}
  if (sync.key.field !== undefined) fields[sync.key.field] = typeOf(sync.key.field)
  for (const mapping of sync.mappings) {
    if (mapping.kind !== 'allColumns') fields[mapping.field] = typeOf(mapping.field, mapping.type)
  }
  return { object: sync.object, options: sync.options, fields }
}
