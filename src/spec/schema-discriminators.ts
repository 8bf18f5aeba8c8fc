import { isRecord } from '../util/is-record.js'

/** Resolves a `$ref` written in the schema being walked. */
export type SchemaRefResolver = (ref: string) => unknown

/** Keywords whose values are data, not schemas: never walked. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples'])

/**
 * The schema files hold only standard JSON Schema, so that any validator and editor reads them.
 * A `oneOf` whose branches each fix the same property with a `const` (`type: duckdb`,
 * `type: postgres`, ...) is a tagged union all the same. This returns a copy of `schema` in which
 * each such `oneOf` also names its tag in Ajv's `discriminator` keyword (OpenAPI's), so that Ajv
 * checks only the branch the tag selects and reports a missing or unknown tag as one error,
 * instead of the failures of every branch. What the schema accepts does not change.
 */
export function withDiscriminators(schema: unknown, resolveRef: SchemaRefResolver): unknown {
  if (Array.isArray(schema)) return schema.map((item) => withDiscriminators(item, resolveRef))
  if (!isRecord(schema)) return schema
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) copy[key] = DATA_KEYWORDS.has(key) ? value : withDiscriminators(value, resolveRef)
  const tag = Array.isArray(schema['oneOf']) ? commonTag(schema['oneOf'], resolveRef) : undefined
  if (tag !== undefined) copy['discriminator'] = { propertyName: tag }
  return copy
}

/** The property every branch fixes with a `const`, when there is one and at least two branches. */
function commonTag(branches: readonly unknown[], resolveRef: SchemaRefResolver): string | undefined {
  if (branches.length < 2) return undefined
  const [first = [], ...rest] = branches.map((branch) => constProperties(resolveBranch(branch, resolveRef)))
  return first.find((name) => rest.every((names) => names.includes(name)))
}

function resolveBranch(branch: unknown, resolveRef: SchemaRefResolver): unknown {
  return isRecord(branch) && typeof branch['$ref'] === 'string' ? resolveRef(branch['$ref']) : branch
}

function constProperties(branch: unknown): string[] {
  const properties = isRecord(branch) && isRecord(branch['properties']) ? branch['properties'] : {}
  return Object.entries(properties).flatMap(([name, property]) => (isRecord(property) && 'const' in property ? [name] : []))
}
