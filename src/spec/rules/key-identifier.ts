import { listOf } from '../../util/suggest.js'
import { writtenSync } from './raw-document.js'
import type { SpecRule } from './rule.js'
import { findSyncTarget } from './sync-target.js'

/** The key maps to an identifier of the object; event objects take an event id column and no field. */
export const keyIdentifier: SpecRule = {
  name: 'key-identifier',
  reads: ['/spec/object', '/spec/key'],
  *check(context) {
    for (const { spec, document } of context.syncs) {
      const target = findSyncTarget(context, spec)
      if (target === undefined) continue
      const { identifiers } = target.descriptor
      const object = `${target.displayName} ${spec.object}`
      const written = writtenSync(document).spec.key.field
      if (identifiers.length === 0) {
        if (written !== undefined) {
          const message = `${object} is keyed by an event id column only, so \`key.field\` does not apply: map the user identifier with a mapping instead`
          yield { document, pointer: '/spec/key/field', at: 'key', message }
        }
      } else if (spec.key.field === undefined) {
        yield { document, pointer: '/spec/key', message: `missing \`key.field\`: ${object} is identified by ${listOf(identifiers)}` }
      } else if (!identifiers.includes(spec.key.field)) {
        yield {
          document,
          pointer: '/spec/key/field',
          message: `"${spec.key.field}" is not an identifier of ${object}: use ${listOf(identifiers)}`,
        }
      }
    }
  },
}
