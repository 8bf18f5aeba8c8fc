import { isRecord } from '../util/is-record.js'

/**
 * Rewrites OpenAPI 3.0 `nullable: true` as JSON Schema 2020-12, so one validator (Ajv2020) serves
 * both documents: `{ type: T, nullable: true }` becomes `{ type: [T, 'null'] }`, and a nullable
 * `$ref` (whose siblings OpenAPI 3.0 ignores) becomes `anyOf: [ref, null]`. Returns a copy.
 */
export function convertNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertNullable)
  if (!isRecord(value)) return value
  const converted: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) converted[key] = convertNullable(child)
  if (converted['nullable'] !== true) return converted
  delete converted['nullable']
  if (typeof converted['$ref'] === 'string') return { anyOf: [{ $ref: converted['$ref'] }, { type: 'null' }] }
  if (typeof converted['type'] === 'string') {
    converted['type'] = [converted['type'], 'null']
    if (Array.isArray(converted['enum'])) converted['enum'] = [...(converted['enum'] as unknown[]), null]
    return converted
  }
  return { anyOf: [converted, { type: 'null' }] }
}
