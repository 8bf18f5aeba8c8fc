import { redactSecrets } from '../../credentials/redact.js'
import { isOutflowError, OutflowError } from '../../errors.js'

/**
 * `error` as the error a provider method throws: an `OutflowError` whose message names `where`
 * (unless it already starts with it), ends with `context`, and carries none of `secrets`. The
 * cause is dropped: the provider host prints the error, and a driver's or vendor's error may hold
 * a credential.
 */
export function providerError(where: string, error: unknown, secrets: readonly string[], context = ''): OutflowError {
  const raw = error instanceof Error ? error.message : String(error)
  const message = redactSecrets(`${raw.startsWith(where) ? raw : `${where}: ${raw}`}${context}`, secrets)
  if (!isOutflowError(error)) return new OutflowError('INTERNAL', message)
  return new OutflowError(error.code, message, { retryable: error.retryable })
}
