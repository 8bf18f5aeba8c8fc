import { describe, expect, it } from 'vitest'

import { withDiscriminators } from '../../src/spec/schema-discriminators.js'
import { resolveSchemaRef, SPEC_SCHEMA_FILES } from '../../src/spec/spec-schemas.js'

/** Where a `discriminator` stands in `schema`, as `pointer: tag`. */
function discriminators(schema: unknown, pointer = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return []
  return Object.entries(schema).flatMap(([key, value]) =>
    key === 'discriminator'
      ? [`${pointer}: ${(value as { propertyName: string }).propertyName}`]
      : discriminators(value, `${pointer}/${key}`),
  )
}

describe('withDiscriminators', () => {
  it('tags each oneOf whose branches all fix one property with a const, and no other', () => {
    const tagged = Object.entries(SPEC_SCHEMA_FILES).flatMap(([path, schema]) =>
      discriminators(withDiscriminators(schema, (ref) => resolveSchemaRef(path, ref))).map((at) => `${path}#${at}`),
    )
    expect(tagged.sort()).toEqual([
      'alert.v1.schema.json#/properties/spec: channel',
      'destination.v1.schema.json#/properties/spec: type',
      'outflow.v1.schema.json#: kind',
      'source.v1.schema.json#/$defs/snowflake/properties/auth: type',
      'source.v1.schema.json#/properties/spec: type',
    ])
  })

  it('leaves the schema it is given, and data inside it, as they were', () => {
    const schema = {
      oneOf: [{ properties: { type: { const: 'a' } } }, { properties: { type: { const: 'b' } } }],
      examples: [{ oneOf: [{ properties: { type: { const: 'x' } } }, { properties: { type: { const: 'y' } } }] }],
    }
    const before = structuredClone(schema)
    expect(withDiscriminators(schema, () => undefined)).toEqual({ ...before, discriminator: { propertyName: 'type' } })
    expect(schema).toEqual(before)
  })
})
