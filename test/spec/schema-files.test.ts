import { readdir, readFile } from 'node:fs/promises'

import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'

import { BEHAVIORS } from '../../src/model/behavior.js'
import { FIELD_TYPES } from '../../src/destinations/destination-catalog.js'
import { DESTINATION_CATALOGS } from '../../providers/registry.js'
import { resolveSchemaRef, SCHEMA_BASE_URI, SPEC_SCHEMA_FILES } from '../../src/spec/spec-schemas.js'
import { compileSpecSchemas } from '../../src/spec/schema-validator.js'
import { GENERATED_TYPES_FILE, generateSpecTypes } from '../../scripts/spec-types-generator.js'

type Schema = Record<string, unknown>

/** Every `properties` entry in a schema tree, with its path, following local `$ref`s once. */
function* properties(schema: unknown, path: string, root: Schema, seen = new Set<unknown>()): Iterable<[string, Schema]> {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return
  seen.add(schema)
  const node = schema as Schema
  for (const [name, property] of Object.entries((node['properties'] ?? {}) as Record<string, Schema>)) {
    yield [`${path}/properties/${name}`, property]
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples' || key === 'default' || key === 'const' || key === 'enum') continue
    if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* properties(item, `${path}/${key}/${i}`, root, seen)
    else yield* properties(value, `${path}/${key}`, root, seen)
  }
}

/** Every schema file under schema/, parsed, by its path there. */
async function schemaFilesOnDisk(): Promise<Map<string, Schema>> {
  const paths = (await readdir('schema', { recursive: true })).filter((path) => path.endsWith('.json')).sort()
  return new Map(
    await Promise.all(paths.map(async (path) => [path, JSON.parse(await readFile(`schema/${path}`, 'utf8')) as Schema] as const)),
  )
}

describe('schema files', () => {
  it('are the files on disk, and all compile in strict mode', async () => {
    for (const [path, schema] of Object.entries(SPEC_SCHEMA_FILES)) {
      expect(JSON.parse(await readFile(`schema/${path}`, 'utf8'))).toEqual(schema)
    }
    expect(compileSpecSchemas().validators.size).toBe(4)
    const ajv = compileSpecSchemas().ajv
    expect(ajv.getSchema(SCHEMA_BASE_URI + 'outflow.v1.schema.json')).toBeTypeOf('function')
  })

  it('each carry an `$id`: the base and their path under schema/', async () => {
    const files = await schemaFilesOnDisk()
    expect([...files.keys()]).toEqual(Object.keys(SPEC_SCHEMA_FILES).sort())
    for (const [path, schema] of files) expect(schema['$id'], path).toBe(SCHEMA_BASE_URI + path)
  })

  it('compile in a default-strict Ajv 2020 with no warning, which accepts the example project', async () => {
    // What a user's own `new Ajv2020()` does with the files: no option, no added keyword.
    const warnings: unknown[] = []
    const ajv = new Ajv2020({
      logger: { log: () => undefined, warn: (...args) => warnings.push(args), error: (...args) => warnings.push(args) },
    })
    const files = await schemaFilesOnDisk()
    for (const schema of files.values()) ajv.addSchema(schema)
    for (const schema of files.values()) expect(ajv.getSchema(String(schema['$id']))).toBeTypeOf('function')
    expect(warnings).toEqual([])
    const validate = ajv.getSchema(SCHEMA_BASE_URI + 'outflow.v1.schema.json')
    const examples = (await readdir('syncs')).filter((file) => file.endsWith('.yaml'))
    expect(examples.length).toBeGreaterThan(0)
    for (const file of examples) {
      for (const document of parseAllDocuments(await readFile(`syncs/${file}`, 'utf8'))) {
        expect(validate?.(document.toJS()), `syncs/${file}: ${JSON.stringify(validate?.errors)}`).toBe(true)
      }
    }
  })

  it('give every property a description and examples, for editors', () => {
    const missing: string[] = []
    for (const [file, schema] of Object.entries(SPEC_SCHEMA_FILES)) {
      for (const [path, property] of properties(schema, file + '#', schema as Schema)) {
        const target =
          typeof property['$ref'] === 'string' ? { ...(resolveSchemaRef(file, property['$ref']) as Schema), ...property } : property
        if (typeof target['description'] !== 'string') missing.push(`${path}: description`)
        if (!Array.isArray(target['examples'])) missing.push(`${path}: examples`)
      }
    }
    expect(missing).toEqual([])
  })

  it('use the same behaviors, field types and destination types as the code', () => {
    const sync = SPEC_SCHEMA_FILES['sync.v1.schema.json'] as Schema
    const spec = ((sync['properties'] as Schema)['spec'] as Schema)['properties'] as Record<string, Schema>
    expect(spec['behavior']?.['enum']).toEqual([...BEHAVIORS])
    expect(((sync['$defs'] as Schema)['fieldType'] as Schema)['enum']).toEqual([...FIELD_TYPES])
    const destination = SPEC_SCHEMA_FILES['destination.v1.schema.json'] as Schema
    const types = Object.values(destination['$defs'] as Record<string, Schema>).flatMap((d) => {
      const type = ((d['properties'] ?? {}) as Record<string, Schema>)['type']
      return type?.['const'] === undefined ? [] : [type['const']]
    })
    expect(types.sort()).toEqual(Object.keys(DESTINATION_CATALOGS).sort())
  })
})

describe('generated types', () => {
  it('match the schemas (run `npm run gen:types` after changing a schema)', async () => {
    const committed = await readFile(GENERATED_TYPES_FILE, 'utf8')
    expect(committed).toBe(await generateSpecTypes())
  })
})
