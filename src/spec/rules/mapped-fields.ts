import type { FieldType, ObjectDescriptor } from '../../destinations/destination-catalog.js'
import type { Mapping, SyncSpec } from '../../model/spec-types.js'
import { quoteValue } from '../quote-value.js'
import type { RuleFinding, SpecRule } from './rule.js'
import type { Located } from './rule.js'
import { findSyncTarget } from './sync-target.js'

/** Each destination field is written once, exists at the destination, and gets a value of its type. */
export const mappedFields: SpecRule = {
  name: 'mapped-fields',
  reads: ['/spec/object', '/spec/key', '/spec/mappings'],
  *check(context) {
    for (const located of context.syncs) {
      const target = findSyncTarget(context, located.spec)
      if (target === undefined) continue
      yield* checkMappings(located, target.descriptor, `${target.displayName} ${located.spec.object}`)
    }
  },
}

function* checkMappings({ spec, document }: Located<SyncSpec>, descriptor: ObjectDescriptor, object: string): Iterable<RuleFinding> {
  const writers = new Map<string, string>()
  if (spec.key.field !== undefined) writers.set(spec.key.field, 'the key')
  for (const [index, mapping] of spec.mappings.entries()) {
    if (mapping.kind === 'allColumns') continue
    const pointer = `/spec/mappings/${index}`
    const writer = writers.get(mapping.field)
    const sameAsKey = writer === 'the key' && mapping.kind === 'column' && mapping.column === spec.key.column
    if (writer !== undefined && !sameAsKey) {
      yield { document, pointer: `${pointer}/field`, message: `field "${mapping.field}" is already written by ${writer}` }
    }
    writers.set(mapping.field, `mapping ${index + 1}`)
    const known = Object.hasOwn(descriptor.fields, mapping.field) ? descriptor.fields[mapping.field] : undefined
    if (known === undefined && !descriptor.customFields.allowed) {
      yield { document, pointer: `${pointer}/field`, message: `${object} has no field "${mapping.field}" and takes no custom fields` }
      continue
    }
    if (known !== undefined && mapping.type !== undefined && mapping.type !== known.type) {
      yield {
        document,
        pointer: `${pointer}/type`,
        message: `"${mapping.field}" is a ${known.type} field of ${object}, not ${mapping.type}`,
      }
      continue
    }
    const type = mapping.type ?? known?.type
    if (mapping.kind === 'constant' && type !== undefined && !constantFits(mapping, type)) {
      yield {
        document,
        pointer: `${pointer}/constant`,
        message: `${quoteValue(mapping.value)} is not a valid ${type} for field "${mapping.field}"`,
      }
    }
  }
}

function constantFits(mapping: Extract<Mapping, { kind: 'constant' }>, type: FieldType): boolean {
  const value = mapping.value
  switch (type) {
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number'
    case 'boolean':
      return typeof value === 'boolean'
  }
}
