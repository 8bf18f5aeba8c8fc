import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'

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

/** Answer with an HTTP status, in the vendor's error body shape unless `body` is given. */
export interface StatusFault extends FaultRuleBase {
  kind: 'status'
  status: number
  /** Sends `Retry-After: <seconds>`; without it, a 429 carries the header only when the emulator's `retryAfter` is on. */
  retryAfterSeconds?: number
  /** A JSON body to send instead of the vendor's error shape. */
  body?: unknown
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
          body: true,
          headers: { type: 'object', additionalProperties: { type: 'string' } },
        },
        ['status'],
      ),
      kindBranch('delay', { ms: { type: 'integer', minimum: 0, maximum: 600_000 } }, ['ms']),
      kindBranch('drop', {}, []),
    ],
  },
}

let compiled: ValidateFunction | undefined

/** Checks a list of fault rules as received over HTTP; returns every problem, or the rules. */
export function validateFaultRules(value: unknown): { rules: FaultRule[] } | { problems: string[] } {
  const validate = (compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(FAULT_RULES_SCHEMA))
  if (validate(value)) return { rules: value as FaultRule[] }
  const problems = (validate.errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${describeParams(error.params)}`)
  return { problems: [...new Set(problems)] }
}

function describeParams(params: Record<string, unknown>): string {
  const extra = params['additionalProperty'] ?? params['allowedValues']
  if (extra === undefined) return ''
  return `: ${JSON.stringify(extra)}`
}
