import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'

import { describeSchemaErrors, type SchemaIssue } from './describe-schema-errors.js'
import { isRecord } from '../util/is-record.js'
import { quoteValue } from './quote-value.js'
import { withDiscriminators } from './schema-discriminators.js'
import { KIND_SCHEMA_FILES, resolveSchemaRef, SCHEMA_BASE_URI, SPEC_KINDS, SPEC_SCHEMA_FILES, type SpecKind } from './spec-schemas.js'
import { didYouMean, listOf } from '../util/suggest.js'

/** A compiled validator per kind, plus the Ajv instance (for resolving `$ref`s in messages). */
interface CompiledSchemas {
  ajv: Ajv2020
  validators: Map<SpecKind, ValidateFunction>
}

let compiled: CompiledSchemas | undefined

/** Compiles the schema files once per process; later calls reuse them. */
export function compileSpecSchemas(): CompiledSchemas {
  if (compiled !== undefined) return compiled
  // allErrors: report every problem at once. No useDefaults or coercion: Ajv never changes the
  // data; defaults belong to the normalize step. The files are registered under their own `$id`s.
  const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true, verbose: true })
  for (const [path, schema] of Object.entries(SPEC_SCHEMA_FILES)) {
    ajv.addSchema(withDiscriminators(schema, (ref) => resolveSchemaRef(path, ref)) as object)
  }
  const validators = new Map<SpecKind, ValidateFunction>()
  for (const kind of SPEC_KINDS) {
    const validate = ajv.getSchema(SCHEMA_BASE_URI + KIND_SCHEMA_FILES[kind])
    if (validate === undefined) throw new Error(`schema for ${kind} did not compile`)
    validators.set(kind, validate)
  }
  compiled = { ajv, validators }
  return compiled
}

/** Checks one document against the schema of its kind; returns every issue found. */
export function validateDocumentSchema(data: unknown): SchemaIssue[] {
  if (!isRecord(data)) {
    return [{ pointer: '', at: 'value', message: 'a document must be a mapping with `apiVersion`, `kind`, `metadata` and `spec`' }]
  }
  const kind = data['kind']
  if (typeof kind !== 'string' || !(SPEC_KINDS as readonly string[]).includes(kind)) {
    const message =
      kind === undefined
        ? `missing \`kind\`: expected ${listOf(SPEC_KINDS)}`
        : `unknown kind ${quoteValue(kind)}: expected ${listOf(SPEC_KINDS)}${didYouMean(typeof kind === 'string' ? kind : '', SPEC_KINDS)}`
    return [{ pointer: '/kind', at: 'value', message }]
  }
  const { ajv, validators } = compileSpecSchemas()
  const validate = validators.get(kind as SpecKind)
  if (validate === undefined || validate(data)) return []
  const baseUri = SCHEMA_BASE_URI + KIND_SCHEMA_FILES[kind as SpecKind]
  return describeSchemaErrors(validate.errors ?? [], data, (ref) => ajv.getSchema(new URL(ref, baseUri).href)?.schema)
}
