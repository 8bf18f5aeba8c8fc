import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'

/**
 * Which requests a fault applies to. Both fields are optional; a rule without `match` applies to
 * every vendor request (never to the `/_emulator/` admin API).
 */
export interface FaultMatch {
  /** HTTP method, any case. */
  method?: string
  /** An exact path (`/users/track`), or a prefix when it ends with `*` (`/lists/*`). */
  path?: string
}

/** Fields every fault rule has. */
export interface FaultRuleBase {
  match?: FaultMatch
  /**
   * How many requests the rule answers before it is spent.
   * @default 1, or unlimited when `probability` is set
   */
  count?: number
  /** The share of matching requests the rule hits, from 0 to 1, drawn from a seeded generator. */
  probability?: number
  /**
   * Seed of the generator behind `probability`, so runs are reproducible.
   * @default 1
   */
  seed?: number
}

/**
 * Answer with any HTTP status and any body, without calling the vendor's handler. The body is
 * `bodyText` sent as is if given, else `body` as JSON if given, else the vendor's error body for
 * the status. Success statuses are allowed too: a 200 whose body the client cannot read is a fault
 * worth testing.
 *
 * @example
 * ```ts
 * // A login page where JSON was expected, as a proxy or an expired SSO session sends it
 * { kind: 'status', status: 200, bodyText: '<html><body>Sign in</body></html>', contentType: 'text/html; charset=utf-8' }
 * // JSON cut off halfway, with a JSON content type
 * { kind: 'status', status: 201, bodyText: '{"message":"succ', contentType: 'application/json' }
 * // An empty body (content-length 0, no content type)
 * { kind: 'status', status: 200, bodyText: '' }
 * // Valid JSON that is not the vendor's shape
 * { kind: 'status', status: 200, body: ['unexpected'] }
 * ```
 */
export interface StatusFault extends FaultRuleBase {
  kind: 'status'
  /** Any status from 100 to 599. */
  status: number
  /** Sends `Retry-After: <seconds>`; without it, a 429 carries the header only when the emulator's `retryAfter` is on. */
  retryAfterSeconds?: number
  /** A JSON body to send instead of the vendor's error shape: any JSON value, `null` included. Not with `bodyText`. */
  body?: unknown
  /** A body sent exactly as given, not serialised: HTML, truncated JSON, or `''` for an empty body. Not with `body`. */
  bodyText?: string
  /**
   * The answer's `Content-Type`, whichever body it has; it replaces a `content-type` given in `headers`.
   * @default 'application/json; charset=utf-8' for a JSON body (the vendor's or `body`), 'text/plain; charset=utf-8' for a non-empty `bodyText`, none for an empty one
   */
  contentType?: string
  /** Extra response headers. A `content-type` here is used when `contentType` is not set. */
  headers?: Record<string, string>
}

/** Wait before handling the request; later rules still apply to it. */
export interface DelayFault extends FaultRuleBase {
  kind: 'delay'
  ms: number
}

/** Destroy the connection without answering. */
export interface DropFault extends FaultRuleBase {
  kind: 'drop'
}

/**
 * One fault rule. Rules are checked in order: each matching delay adds its wait, and the first
 * matching status or drop ends the check. A rule that fires spends one of its `count`.
 */
export type FaultRule = StatusFault | DelayFault | DropFault

/** The kinds of fault rule. */
export const FAULT_KINDS = ['status', 'delay', 'drop'] as const

/** An HTTP header name (an RFC 9110 token) and value (no control characters but tab): what Node lets a server send. */
const HEADER_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
const HEADER_VALUE = '^[\\t\\x20-\\x7e\\x80-\\xff]*$'

const matchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { method: { type: 'string', minLength: 1 }, path: { type: 'string', pattern: '^/' } },
}

const baseProperties = {
  match: matchSchema,
  count: { type: 'integer', minimum: 1 },
  probability: { type: 'number', minimum: 0, maximum: 1 },
  seed: { type: 'integer' },
}

/** One branch per kind: `if` picks the branch, so errors speak only of the rule's own kind. */
function kindBranch(kind: FaultRule['kind'], properties: Record<string, unknown>, required: string[]) {
  return {
    if: { properties: { kind: { const: kind } } },
    then: { properties: { ...baseProperties, kind: true, ...properties }, required, additionalProperties: false },
  }
}

const FAULT_RULES_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: FAULT_KINDS } },
    allOf: [
      kindBranch(
        'status',
        {
          status: { type: 'integer', minimum: 100, maximum: 599 },
          retryAfterSeconds: { type: 'integer', minimum: 0 },
          body: { description: 'A JSON body, any JSON value; not with bodyText.' },
          bodyText: { type: 'string', description: 'A body sent as is: HTML, truncated JSON, or "" for an empty body; not with body.' },
          contentType: { type: 'string', pattern: HEADER_VALUE, description: 'The Content-Type of the answer.' },
          headers: {
            type: 'object',
            propertyNames: { pattern: HEADER_NAME },
            additionalProperties: { type: 'string', pattern: HEADER_VALUE },
          },
        },
        ['status'],
      ),
      kindBranch('delay', { ms: { type: 'integer', minimum: 0, maximum: 600_000 } }, ['ms']),
      kindBranch('drop', {}, []),
    ],
  },
}

let compiled: ValidateFunction | undefined

/**
 * Checks a list of fault rules as received over HTTP; returns every problem, or the rules. The
 * schema checks each field; what it cannot say clearly (a rule with two bodies) is checked after.
 */
export function validateFaultRules(value: unknown): { rules: FaultRule[] } | { problems: string[] } {
  const validate = (compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(FAULT_RULES_SCHEMA))
  const valid = validate(value)
  const problems = (validate.errors ?? [])
    .filter((error) => error.keyword !== 'if' && error.keyword !== 'propertyNames')
    .map((error) => `${error.instancePath || '/'} ${describeError(error)}`)
  problems.push(...twoBodies(value))
  if (valid && problems.length === 0) return { rules: value as FaultRule[] }
  // Rule by rule, as a user reads them; the sort is stable, so each rule's problems keep their order.
  const ruleIndex = (problem: string) => Number(/^\/(\d+)/.exec(problem)?.[1] ?? -1)
  return { problems: [...new Set(problems)].sort((a, b) => ruleIndex(a) - ruleIndex(b)) }
}

/** `body` and `bodyText` are two answers to one request; a status rule gives one. */
function twoBodies(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((rule: unknown, index) =>
    typeof rule === 'object' && rule !== null && 'kind' in rule && rule.kind === 'status' && 'body' in rule && 'bodyText' in rule
      ? [`/${index} has both body and bodyText: give one (bodyText is sent as is, body as JSON)`]
      : [],
  )
}

/** Ajv's message, with the offending name or the allowed values; header patterns said in words. */
function describeError(error: ErrorObject): string {
  const params: Record<string, unknown> = error.params
  if (params['pattern'] === HEADER_VALUE) return 'must be a header value: printable characters, no line breaks'
  if (params['pattern'] === HEADER_NAME) return `has a header name that is not an HTTP token: ${JSON.stringify(error.propertyName ?? '')}`
  const extra = params['additionalProperty'] ?? params['allowedValues']
  return `${error.message ?? 'is invalid'}${extra === undefined ? '' : `: ${JSON.stringify(extra)}`}`
}
