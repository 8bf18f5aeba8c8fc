import { inSpan, markFailed } from './in-span.js'
import { ATTRIBUTES, runTargetAttributes, type RunTarget } from './telemetry-attributes.js'

/** The slice of a sync's verification its span reports: the outcome, counts and an error's code. */
export interface VerifyOutcome {
  outcome: string
  /** Counts by name (`read`, `inSync`, `missing`, …); an interface, so read as an object. */
  counts: object
  error?: { code: string } | undefined
}

/**
 * Verifies one sync inside a span, `verify <sync>`, the parent of the read requests it sends (else
 * each read would be a trace of its own). The span ends with the outcome and the counts
 * (`outflow.verify.read`, `.missing`, `.different`, …). With traces off it only calls `verify`.
 */
export function traceVerify<V extends VerifyOutcome>(target: RunTarget, verify: () => Promise<V>): Promise<V> {
  return inSpan(`verify ${target.sync.name}`, runTargetAttributes(target), verify, (verification, span) => {
    span.setAttribute('outflow.verify.outcome', verification.outcome)
    for (const [count, value] of Object.entries(verification.counts)) {
      if (typeof value === 'number') span.setAttribute(`outflow.verify.${snakeCase(count)}`, value)
    }
    if (verification.error !== undefined) {
      span.setAttribute(ATTRIBUTES.errorType, verification.error.code)
      markFailed(span, verification.error.code)
    }
  })
}

/** `inSync` as OpenTelemetry spells attribute names: `in_sync`. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}
