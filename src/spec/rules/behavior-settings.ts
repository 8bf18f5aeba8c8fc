import { writtenSync } from './raw-document.js'
import type { SpecRule } from './rule.js'

/** Settings that belong to one behavior are not set on another, where they would silently do nothing. */
export const behaviorSettings: SpecRule = {
  name: 'behavior-settings',
  reads: ['/spec/maxDeletes', '/spec/backfill', '/spec/behavior'],
  *check(context) {
    for (const { spec, document } of context.syncs) {
      const written = writtenSync(document).spec
      if (written.maxDeletes !== undefined && spec.behavior !== 'mirror') {
        yield {
          document,
          pointer: '/spec/maxDeletes',
          at: 'key',
          message: `\`maxDeletes\` applies only to behavior "mirror", not "${spec.behavior}"`,
        }
      }
      if (written.backfill !== undefined && spec.behavior !== 'send') {
        yield {
          document,
          pointer: '/spec/backfill',
          at: 'key',
          message: `\`backfill\` applies only to behavior "send", not "${spec.behavior}"`,
        }
      }
    }
  },
}
