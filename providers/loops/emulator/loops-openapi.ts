import { isRecord } from '../../../src/util/is-record.js'
import loopsDocument from './loops-openapi.json' with { type: 'json' }
import { OpenApiValidator } from '../../../src/emulators/openapi-validator.js'

/**
 * Corrections applied (to a copy) before validating against Loops' OpenAPI 1.21.6. The file in
 * `loops-openapi.json` stays as Loops publishes it; each change here is a documented
 * divergence between that schema and the API (reference/destinations.md section 1).
 */
const LOOPS_ERRATA: readonly { schema: string; reason: string; apply: (schema: Record<string, unknown>) => void }[] = [
  {
    schema: 'ContactUpdateRequest',
    // Its top-level `additionalProperties` (string | number | boolean) covers every key, since the
    // schema declares its properties only inside `allOf`; it would reject `mailingLists`, which its
    // own example sends. `ContactFields` inside the `allOf` already constrains custom keys.
    reason: 'top-level additionalProperties rejects mailingLists',
    apply: (schema) => delete schema['additionalProperties'],
  },
  {
    schema: 'ContactFields',
    // "Send null to reset a value" (loops-js README; reference section 1.4).
    reason: 'custom properties accept null to reset',
    apply: (schema) => allowNullCustomValues(schema),
  },
  {
    schema: 'EventRequest',
    reason: 'contact properties on events accept null to reset',
    apply: (schema) => allowNullCustomValues(schema),
  },
  {
    schema: 'ContactDeleteRequest',
    // [conflict] The schema requires both identifiers; the endpoint, docs and SDK take exactly one
    // (reference section 1.5). The handler enforces "exactly one".
    reason: 'requires both email and userId',
    apply: (schema) => delete schema['required'],
  },
]

let validator: OpenApiValidator | undefined

/** The Loops OpenAPI document (with {@link LOOPS_ERRATA}), compiled once per process. */
export function loopsOpenApi(): OpenApiValidator {
  if (validator !== undefined) return validator
  const document: unknown = structuredClone(loopsDocument)
  for (const erratum of LOOPS_ERRATA) erratum.apply(componentSchema(document, erratum.schema))
  validator = new OpenApiValidator('loops', document)
  return validator
}

function componentSchema(document: unknown, name: string): Record<string, unknown> {
  const components = isRecord(document) ? document['components'] : undefined
  const schemas = isRecord(components) ? components['schemas'] : undefined
  const schema = isRecord(schemas) ? schemas[name] : undefined
  if (!isRecord(schema)) throw new Error(`loops.json has no schema ${name}: the errata need updating`)
  return schema
}

function allowNullCustomValues(schema: Record<string, unknown>): void {
  const additional = schema['additionalProperties']
  if (!isRecord(additional) || !Array.isArray(additional['oneOf'])) throw new Error('loops.json: unexpected additionalProperties shape')
  additional['oneOf'] = [...(additional['oneOf'] as unknown[]), { type: 'null' }]
}
