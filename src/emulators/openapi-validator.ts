import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'

import { isRecord } from '../util/is-record.js'

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

interface OperationIndex {
  requestSchema: string | undefined
  requestRequired: boolean
  /** Status code (or `default`) to the JSON pointer of its schema, or `null` for a response without a body. */
  responses: Map<string, string | null>
}

/**
 * Checks request and response bodies against the operations of a vendor's OpenAPI document.
 * The document must be JSON Schema 2020-12 (OpenAPI 3.1, or 3.0 after {@link convertNullable});
 * `#/components/...` references resolve inside it. Validators compile on first use and are kept.
 */
export class OpenApiValidator {
  readonly #ajv: Ajv2020
  readonly #documentId: string
  readonly #operations = new Map<string, OperationIndex>()
  readonly #compiled = new Map<string, ValidateFunction>()

  constructor(name: string, document: unknown) {
    if (!isRecord(document) || !isRecord(document['paths'])) throw new TypeError(`${name}: not an OpenAPI document`)
    this.#documentId = `https://openapi.outflow.invalid/${name}.json`
    // Vendor documents use keywords Ajv does not know (x-*, discriminator, example) and formats
    // without definitions: strict mode off, formats not checked.
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
    this.#ajv.addSchema(document, this.#documentId)
    for (const [path, item] of Object.entries(document['paths'])) this.#index(path, item)
  }

  /** True when the document declares the operation. */
  hasOperation(operationId: string): boolean {
    return this.#operations.has(operationId)
  }

  /** The operationIds the document declares. */
  operationIds(): string[] {
    return [...this.#operations.keys()]
  }

  /** Problems with a request body, or `undefined` when the operation takes no JSON body. */
  validateRequestBody(operationId: string, body: unknown): string[] | undefined {
    const operation = this.#operation(operationId)
    if (operation.requestSchema === undefined) return undefined
    if (body === undefined) return operation.requestRequired ? ['a JSON request body is required'] : []
    return this.#check(operation.requestSchema, body)
  }

  /** Problems with a response body, or `undefined` when the document does not describe that status. */
  validateResponse(operationId: string, status: number, body: unknown): string[] | undefined {
    const responses = this.#operation(operationId).responses
    const schema = responses.has(String(status)) ? responses.get(String(status)) : responses.get('default')
    if (schema === undefined) return undefined
    if (schema === null) return body === undefined ? [] : [`status ${status} is documented without a body`]
    return body === undefined ? [`status ${status} is documented with a JSON body`] : this.#check(schema, body)
  }

  #operation(operationId: string): OperationIndex {
    const operation = this.#operations.get(operationId)
    if (operation === undefined) throw new RangeError(`no operation ${operationId} in ${this.#documentId}`)
    return operation
  }

  #check(pointer: string, value: unknown): string[] {
    let validate = this.#compiled.get(pointer)
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: `${this.#documentId}#${pointer}` })
      this.#compiled.set(pointer, validate)
    }
    return validate(value) ? [] : describeErrors(validate.errors ?? [])
  }

  #index(path: string, item: unknown): void {
    if (!isRecord(item)) return
    for (const method of METHODS) {
      const operation = item[method]
      if (!isRecord(operation) || typeof operation['operationId'] !== 'string') continue
      const pointer = `/paths/${escapePointer(path)}/${method}`
      this.#operations.set(operation['operationId'], indexOperation(pointer, operation))
    }
  }
}

function indexOperation(pointer: string, operation: Record<string, unknown>): OperationIndex {
  const requestBody = operation['requestBody']
  const hasRequestSchema = isRecord(requestBody) && jsonSchemaOf(requestBody) !== undefined
  const responses = new Map<string, string | null>()
  for (const [status, response] of Object.entries(isRecord(operation['responses']) ? operation['responses'] : {})) {
    responses.set(
      status,
      isRecord(response) && jsonSchemaOf(response) !== undefined ? `${pointer}/responses/${status}/content/application~1json/schema` : null,
    )
  }
  return {
    requestSchema: hasRequestSchema ? `${pointer}/requestBody/content/application~1json/schema` : undefined,
    requestRequired: isRecord(requestBody) && requestBody['required'] === true,
    responses,
  }
}

function jsonSchemaOf(holder: Record<string, unknown>): unknown {
  const content = holder['content']
  const json = isRecord(content) ? content['application/json'] : undefined
  return isRecord(json) ? json['schema'] : undefined
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

/** One line per problem; `oneOf`/`anyOf` summaries are dropped when their branches already explain. */
function describeErrors(errors: readonly ErrorObject[]): string[] {
  const lines = errors
    .filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf' && error.keyword !== 'allOf')
    .map((error) => `${error.instancePath === '' ? '(body)' : error.instancePath} ${error.message ?? 'is invalid'}`)
  return [...new Set(lines.length > 0 ? lines : errors.map((error) => `${error.instancePath} ${error.message ?? 'is invalid'}`))]
}
