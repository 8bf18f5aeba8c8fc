import { isRecord } from '../../util/is-record.js'
import type { CredentialReference } from '../../model/spec-document-types.generated.js'

/** A credential reference found in a connection, with where it is (`apiKey`, `auth.password`). */
export interface CredentialUse {
  path: string
  reference: CredentialReference & ({ secret: string } | { env: string })
}

/**
 * Every credential reference (`{ secret: NAME }` or `{ env: NAME }`) in a `Source` or
 * `Destination` connection, in document order. Validation guarantees that credentials appear only
 * as references, so any object with a lone `secret` or `env` name is one.
 */
export function credentialReferences(connection: unknown, path = ''): CredentialUse[] {
  if (!isRecord(connection)) return []
  const keys = Object.keys(connection)
  const name = connection['secret'] ?? connection['env']
  if (keys.length === 1 && typeof name === 'string') {
    const reference = keys[0] === 'secret' ? { secret: name } : { env: name }
    return [{ path, reference }]
  }
  return keys.flatMap((key) => credentialReferences(connection[key], path === '' ? key : `${path}.${key}`))
}

/** Where a reference is read from, in the words of a message: `Pulumi config secret X`, `environment variable Y`. */
export function describeReference(reference: CredentialUse['reference']): string {
  return 'secret' in reference ? `Pulumi config secret ${reference.secret}` : `environment variable ${reference.env}`
}
