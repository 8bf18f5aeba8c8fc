import type { ErrorCode } from '../errors.js'
import type { RunOutcome } from './alert-outcomes.js'

/**
 * What each error code means, in words that quote nothing: a run's own message may quote a model
 * value (a warehouse quotes the value it could not convert, a vendor the record it refused), so
 * an alert without `includeValues` says what happened from the code alone.
 */
const ERROR_WORDS: Readonly<Record<ErrorCode | 'UNKNOWN', string>> = {
  SPEC_INVALID: 'the spec is invalid',
  SPEC_NOT_FOUND: 'the spec was not found',
  SYNC_NOT_FOUND: 'the sync was not found',
  OPTION_INVALID: 'an option is invalid',
  CREDENTIAL_MISSING: 'a credential is not set in the environment',
  WAREHOUSE_DRIVER_MISSING: "the warehouse's driver is not installed",
  WAREHOUSE_CONNECTION_FAILED: 'the warehouse could not be reached',
  WAREHOUSE_IN_USE: 'the warehouse file is in use by another process',
  WAREHOUSE_QUERY_FAILED: 'a warehouse query failed',
  WAREHOUSE_CONFLICT: 'the warehouse refused a write that conflicted with another',
  MODEL_INVALID: 'the model was refused',
  DBT_MANIFEST_INVALID: 'the dbt manifest could not be read',
  LEASE_HELD: 'another runner holds the sync',
  LEASE_LOST: 'the lease on the sync was lost',
  DELETE_LIMIT: 'the run would have deleted more than its safety limits allow; nothing was deleted',
  RUN_INTERRUPTED: 'the run was stopped',
  DESTINATION_AUTH: 'the destination refused the credentials',
  DESTINATION_RATE_LIMITED: 'the destination kept answering with its rate limit',
  DESTINATION_UNAVAILABLE: 'the destination could not be reached',
  DESTINATION_REQUEST_INVALID: 'the destination refused a request',
  WORKFLOW_ENGINE_UNAVAILABLE: 'the workflow engine could not be reached',
  INTERNAL: 'an internal error stopped the run',
  UNKNOWN: 'an unexpected error stopped the run',
}

/**
 * Why a run alerted, built from its status, error code and counts only, so that it quotes no
 * model value whatever the run's own reason says. Undefined when there is nothing to say.
 */
export function valueFreeRunReason(run: RunOutcome): string | undefined {
  const parts: string[] = []
  if (run.error !== undefined) parts.push(`${run.error.code}: ${errorWords(run.error.code)}`)
  const { failed, unknown, rejected } = run.counts
  if (failed > 0) parts.push(`${plural(failed, 'row')} not delivered; the next run sends them`)
  if (unknown > 0) parts.push(`${plural(unknown, 'event')} of unknown outcome, never sent again`)
  if (rejected > 0) parts.push(`${plural(rejected, 'row')} rejected`)
  return parts.length === 0 ? undefined : parts.join('; ')
}

/** What drift `outflow verify` found, in counts. */
export function driftReason(counts: Readonly<{ missing: number; different: number; stillPresent: number }>): string {
  const { missing, different, stillPresent } = counts
  const drifted = plural(missing + different + stillPresent, 'record')
  return `${drifted} drifted: ${missing} missing, ${different} different, ${stillPresent} still present after a mirror removed them`
}

function errorWords(code: string): string {
  return Object.hasOwn(ERROR_WORDS, code) ? ERROR_WORDS[code as ErrorCode] : ERROR_WORDS.UNKNOWN
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`
}
