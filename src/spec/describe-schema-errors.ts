import type { ErrorObject } from 'ajv'

import { isRecord } from '../util/is-record.js'
import { BAD_CREDENTIAL_KEY_MESSAGE, describeBadCredentialName, isCredentialName } from './credential-name.js'
import { fromPointer, isWithin } from './json-pointer.js'
import { quoteValue } from './quote-value.js'
import { didYouMean, listOf } from '../util/suggest.js'

/** A schema problem in words, at a JSON pointer; `at: 'key'` points the position at the key. */
export interface SchemaIssue {
  pointer: string
  at: 'key' | 'value'
  message: string
}

/** Resolves a `$ref` string to its schema (relative refs against the document's schema file). */
export type RefResolver = (ref: string) => unknown

type Schema = Record<string, unknown>

/**
 * Turns Ajv's raw errors into one message per problem. Ajv reports every failed branch of a
 * `oneOf`; the user wrote one of them, so we keep the branch the data was aiming at (the one whose
 * distinguishing property is present) and drop the rest.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], root: unknown, resolveRef: RefResolver): SchemaIssue[] {
  const issues: SchemaIssue[] = []
  for (const error of collapseBranches(errors)) {
    const issue = 'issue' in error ? error.issue : describeError(error, resolveRef)
    if (!issues.some((i) => i.pointer === issue.pointer && i.message === issue.message)) issues.push(issue)
  }
  return issues
  function dataAt(pointer: string): unknown {
    let value: unknown = root
    for (const segment of fromPointer(pointer))
      value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined
    return value
  }

  /** Replaces each failed `oneOf`/`anyOf` by the errors of the branch the user meant. */
  function collapseBranches(all: readonly ErrorObject[]): (ErrorObject | { issue: SchemaIssue })[] {
    let remaining: (ErrorObject | { issue: SchemaIssue })[] = [...all]
    for (const union of all.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
      const branches = (Array.isArray(union.schema) ? union.schema : []) as Schema[]
      const chosen = chooseBranch(branches, dataAt(union.instancePath))
      const prefix = union.schemaPath + '/'
      remaining = remaining.filter((e) => {
        if (e === union) return false
        // The same union reached at two list items has one schemaPath: keep to this item's data.
        if ('issue' in e || !e.schemaPath.startsWith(prefix) || !isWithin(e.instancePath, union.instancePath)) return true
        return chosen !== undefined && e.schemaPath.startsWith(`${prefix}${chosen.index}/`)
      })
      if (chosen === undefined) remaining.push({ issue: describeNoBranch(union.instancePath, branches, dataAt(union.instancePath)) })
    }
    return remaining
  }
}

/** The branch whose required property (or JSON type) the data has, when exactly one does. */
function chooseBranch(branches: readonly Schema[], data: unknown): { index: number } | undefined {
  const matches = branches.flatMap((branch, index) => (branchAddressedBy(branch, data) ? [index] : []))
  return matches.length === 1 && matches[0] !== undefined ? { index: matches[0] } : undefined
}

function branchAddressedBy(branch: Schema, data: unknown): boolean {
  const required = Array.isArray(branch['required']) ? (branch['required'] as string[]) : []
  if (isRecord(data) && required.length > 0) return required[0] !== undefined && required[0] in data
  return branch['type'] === jsonType(data)
}

function describeNoBranch(pointer: string, branches: readonly Schema[], data: unknown): SchemaIssue {
  const keys = branches.map((b) => (Array.isArray(b['required']) ? String(b['required'][0]) : '')).filter((k) => k !== '')
  if (isRecord(data) && keys.length === branches.length) {
    const present = keys.filter((k) => k in data)
    const message = present.length > 1 ? `takes only one of ${listOf(present)}, not several` : `needs one of ${listOf(keys)}`
    return { pointer, at: 'value', message }
  }
  const types = [...new Set(branches.map((b) => (typeof b['type'] === 'string' ? b['type'] : 'object')))]
  return { pointer, at: 'value', message: `must be ${types.map(withArticle).join(' or ')}, not ${withArticle(jsonType(data))}` }
}

function describeError(error: ErrorObject, resolveRef: RefResolver): SchemaIssue {
  const parent = (error.parentSchema ?? {}) as Schema
  const params = error.params as Record<string, unknown>
  const pointer = error.instancePath
  // Whatever fails in a credential reference's name may be the credential: never quote it.
  if (refusesGeneratedKeys(parent) && error.keyword !== 'type') {
    return { pointer, at: 'value', message: describeBadCredentialName(fromPointer(pointer).at(-1) ?? '', error.data) }
  }
  switch (error.keyword) {
    case 'required':
      return {
        pointer: `${pointer}/${String(params['missingProperty'])}`,
        at: 'value',
        message: `missing required property \`${String(params['missingProperty'])}\``,
      }
    case 'additionalProperties': {
      const name = String(params['additionalProperty'])
      // In a credential reference, a key that is no name may be the credential: the pointer would show it too.
      if (isCredentialReference(parent) && !isCredentialName(name)) {
        return { pointer, at: 'value', message: BAD_CREDENTIAL_KEY_MESSAGE }
      }
      const allowed = Object.keys(parent['properties'] ?? {})
      const hint = didYouMean(name, allowed) || `; allowed here: ${listOf(allowed)}`
      return { pointer: `${pointer}/${name}`, at: 'key', message: `unknown property \`${name}\`${hint}` }
    }
    case 'type':
      if (isCredentialReference(parent) && typeof error.data !== 'object') {
        return { pointer, at: 'value', message: 'a literal credential is not allowed in a spec: use `{ secret: NAME }` or `{ env: NAME }`' }
      }
      return {
        pointer,
        at: 'value',
        message: `must be ${[params['type']]
          .flat()
          .map((t) => withArticle(String(t)))
          .join(' or ')}, not ${withArticle(jsonType(error.data))}`,
      }
    case 'enum': {
      const allowed = ((params['allowedValues'] ?? []) as unknown[]).map(String)
      return {
        pointer,
        at: 'value',
        message: `${quoteValue(error.data)} is not one of ${listOf(allowed)}${didYouMean(String(error.data), allowed)}`,
      }
    }
    case 'const':
      return { pointer, at: 'value', message: `must be \`${String(params['allowedValue'])}\`, not ${quoteValue(error.data)}` }
    case 'pattern': {
      const examples = Array.isArray(parent['examples']) ? parent['examples'].map((e) => `\`${String(e)}\``) : []
      const expected =
        examples.length > 0 ? `expected something like ${examples.join(', ')}` : `expected the pattern ${String(params['pattern'])}`
      return { pointer, at: 'value', message: `${quoteValue(error.data)} is not valid here: ${expected}` }
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        pointer,
        at: 'value',
        message: `must be ${BOUND_WORDS[error.keyword]} ${String(params['limit'])}, not ${String(error.data)}`,
      }
    case 'minLength':
      return {
        pointer,
        at: 'value',
        message: params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters long`,
      }
    case 'minProperties':
    case 'maxProperties':
      if (isCredentialReference(parent)) {
        return { pointer, at: 'value', message: 'a credential reference takes exactly one of `secret` or `env`' }
      }
      return { pointer, at: 'value', message: error.message ?? error.keyword }
    case 'discriminator':
      return describeDiscriminator(error, parent, resolveRef)
    default:
      return { pointer, at: 'value', message: error.message ?? error.keyword }
  }
}

/** Whether `schema` is the credential reference, `{ secret: NAME }` or `{ env: NAME }`: its `title` says so. */
function isCredentialReference(schema: Schema): boolean {
  return schema['title'] === 'CredentialReference'
}

/** Whether `schema` is a credential's name: it refuses values that read like a generated key, so a failing value may be one. */
function refusesGeneratedKeys(schema: Schema): boolean {
  const not = schema['not']
  return isRecord(not) && typeof not['$ref'] === 'string' && not['$ref'].endsWith('#/$defs/generatedKey')
}

/** An unknown or missing `type` tag: name the allowed values, read from the branches' `const`s. */
function describeDiscriminator(error: ErrorObject, parent: Schema, resolveRef: RefResolver): SchemaIssue {
  const params = error.params as Record<string, unknown>
  const tag = String(params['tag'])
  const branches = (Array.isArray(parent['oneOf']) ? parent['oneOf'] : []) as Schema[]
  const allowed = branches.flatMap((branch) => {
    const schema = (typeof branch['$ref'] === 'string' ? resolveRef(branch['$ref']) : branch) as Schema | undefined
    const property = ((schema?.['properties'] ?? {}) as Record<string, Schema>)[tag]
    return property?.['const'] === undefined ? [] : [asText(property['const'])]
  })
  const value = params['tagValue']
  const message =
    value === undefined
      ? `missing required property \`${tag}\`: expected ${listOf(allowed)}`
      : `${quoteValue(value)} is not one of ${listOf(allowed)}${didYouMean(asText(value), allowed)}`
  return { pointer: `${error.instancePath}/${tag}`, at: 'value', message }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** How a numeric bound reads in a message: `must be above 0, not -3`. */
const BOUND_WORDS = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'above', exclusiveMaximum: 'below' } as const

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  // YAML's `.inf` and `.nan` are numbers to JavaScript, but no number to a schema.
  if (typeof value === 'number') return !Number.isFinite(value) ? 'non-finite number' : Number.isInteger(value) ? 'integer' : 'number'
  return typeof value === 'object' ? 'object' : typeof value
}

function withArticle(type: string): string {
  const noun = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type
  return noun === 'null' ? 'null' : /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`
}
