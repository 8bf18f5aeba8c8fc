import { OutflowError } from '../errors.js'
import type { CredentialReference } from '../model/spec-document-types.generated.js'

/** Where credentials come from at run time: the environment, unless a caller passes another map. */
export type CredentialSource = Readonly<Record<string, string | undefined>>

/**
 * Resolves a credential reference: `{ secret: NAME }` and `{ env: NAME }` both read the
 * environment variable NAME at run time. `where` names what needs it, for the error message,
 * which names the variable but never a value.
 */
export function resolveCredential(reference: CredentialReference, where: string, source: CredentialSource = process.env): string {
  const name = reference.secret ?? reference.env
  if (name === undefined) throw new OutflowError('CREDENTIAL_MISSING', `${where}: the credential reference names no variable`)
  const value = source[name]
  if (value === undefined || value === '') {
    const kind = reference.secret === undefined ? 'environment variable' : 'secret (environment variable)'
    throw new OutflowError('CREDENTIAL_MISSING', `${where}: ${kind} ${name} is not set`)
  }
  return value
}
