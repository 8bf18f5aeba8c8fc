import { listOf } from '../../util/suggest.js'
import type { SpecRule } from './rule.js'
import { findSyncTarget } from './sync-target.js'

/**
 * Fields and options the object cannot do without are present: Loops needs an email to create a
 * contact, events need a user and a name, Courier list syncs need a list.
 */
export const requiredFields: SpecRule = {
  name: 'required-fields',
  reads: ['/spec/object', '/spec/behavior', '/spec/key', '/spec/mappings', '/spec/options'],
  *check(context) {
    for (const { spec, document } of context.syncs) {
      const target = findSyncTarget(context, spec)
      if (target === undefined) continue
      const object = `${target.displayName} ${spec.object}`
      for (const option of target.descriptor.requiredOptions) {
        if (spec.options[option] === undefined)
          yield { document, pointer: `/spec/options/${option}`, message: `${object} needs \`options.${option}\`` }
      }
      // Which fields an `allColumns` mapping writes depends on the model's columns, known only
      // with a live warehouse; required fields are then checked when the model is read.
      if (spec.mappings.some((m) => m.kind === 'allColumns')) continue
      // Without a key field the key rule has already said what to write; guessing here would only add noise.
      if (spec.key.field === undefined && target.descriptor.identifiers.length > 0) continue
      const mapped = new Set(spec.mappings.flatMap((m) => (m.kind === 'allColumns' ? [] : [m.field])))
      if (spec.key.field !== undefined) mapped.add(spec.key.field)
      for (const requirement of target.descriptor.requiredFields) {
        if (requirement.behaviors !== undefined && !requirement.behaviors.includes(spec.behavior)) continue
        if (requirement.anyOf.some((field) => mapped.has(field))) continue
        const message = `${object} with behavior "${spec.behavior}" needs a mapping to ${listOf(requirement.anyOf)}: ${requirement.reason}`
        yield { document, pointer: '/spec/mappings', message }
      }
    }
  },
}
