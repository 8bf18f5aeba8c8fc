import type { AlertTriggerDocument } from '../../model/spec-document-types.generated.js'
import { triggerName } from '../normalize-alert.js'
import type { SpecRule } from './rule.js'

/**
 * An alert names each trigger once: `rejected` and `{ rejected: { above: … } }` together would
 * leave which threshold holds to the order they are written in.
 */
export const alertTriggers: SpecRule = {
  name: 'alert-triggers',
  reads: ['/spec/on'],
  *check(context) {
    for (const { document } of context.alerts) {
      const on = (document.data as { spec: { on: readonly AlertTriggerDocument[] } }).spec.on
      const seen = new Set<string>()
      for (const [index, entry] of on.entries()) {
        const name = triggerName(entry)
        if (seen.has(name)) yield { document, pointer: `/spec/on/${index}`, message: `trigger \`${name}\` is listed twice: keep one` }
        seen.add(name)
      }
    }
  },
}
