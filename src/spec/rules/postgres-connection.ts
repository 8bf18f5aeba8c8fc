import { writtenSource } from './raw-document.js'
import type { SpecRule } from './rule.js'

const FIELD_NAMES = ['host', 'port', 'database', 'user', 'password'] as const

/** A PostgreSQL source is given either by `url` or by its fields, never both, and never half. */
export const postgresConnection: SpecRule = {
  name: 'postgres-connection',
  reads: ['/spec'],
  *check(context) {
    for (const { document } of context.sources) {
      const spec = writtenSource(document).spec
      if (spec.type !== 'postgres') continue
      const fields = FIELD_NAMES.filter((f) => spec[f] !== undefined)
      if (spec.url !== undefined && fields.length > 0) {
        yield {
          document,
          pointer: `/spec/${fields[0] ?? 'url'}`,
          at: 'key',
          message: `give either \`url\` or the connection fields (${fields.join(', ')}), not both`,
        }
      } else if (spec.url === undefined) {
        for (const required of ['host', 'database'] as const) {
          if (spec[required] === undefined)
            yield { document, pointer: `/spec/${required}`, message: `missing \`${required}\` (or give the connection as \`url\`)` }
        }
      }
    }
  },
}
