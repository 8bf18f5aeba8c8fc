import courierDocument from './courier-openapi.json' with { type: 'json' }
import { convertNullable } from '../../../src/emulators/openapi-nullable.js'
import { OpenApiValidator } from '../../../src/emulators/openapi-validator.js'

let validator: OpenApiValidator | undefined

/** The Courier OpenAPI 3.0.1 subset (profiles and lists), its `nullable` rewritten for Ajv2020, compiled once per process. */
export function courierOpenApi(): OpenApiValidator {
  validator ??= new OpenApiValidator('courier', convertNullable(courierDocument))
  return validator
}
