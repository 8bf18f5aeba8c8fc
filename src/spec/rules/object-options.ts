import { listOf } from '../../util/suggest.js'
import type { SpecRule } from './rule.js'
import { findSyncTarget } from './sync-target.js'

/** Every option set under `spec.options` belongs to the sync's object. */
export const objectOptions: SpecRule = {
  name: 'object-options',
  reads: ['/spec/object', '/spec/options'],
  *check(context) {
    for (const { spec, document } of context.syncs) {
      const target = findSyncTarget(context, spec)
      if (target === undefined) continue
      const allowed: readonly string[] = target.descriptor.options
      for (const option of Object.keys(spec.options)) {
        if (allowed.includes(option)) continue
        const supported = allowed.length === 0 ? 'it takes no options' : `its options are ${listOf(allowed, 'and')}`
        yield {
          document,
          pointer: `/spec/options/${option}`,
          at: 'key',
          message: `\`${option}\` is not an option of ${target.displayName} ${spec.object}: ${supported}`,
        }
      }
    }
  },
}
