import type { CredentialSource } from '../../credentials/resolve-credential.js'
import { OutflowError } from '../../errors.js'
import { credentialReferences, describeReference } from './credential-references.js'

/** Credentials resolved for one connection at apply time, and their values (to keep them out of messages). */
export interface AppliedCredentials {
  source: CredentialSource
  values: string[]
}

/**
 * Resolves the credential references of a connection as `pulumi up` does: `{ secret: NAME }` from
 * the Pulumi config secrets the program passed in `secrets`, `{ env: NAME }` from the environment
 * of the provider (the one `pulumi` runs in). Throws `CREDENTIAL_MISSING` naming `where`, the
 * property and the config key or variable, never a value.
 */
export function applyCredentials(
  where: string,
  connection: unknown,
  secrets: Readonly<Record<string, string>> | undefined,
  env: CredentialSource = process.env,
): AppliedCredentials {
  const source: Record<string, string> = {}
  for (const { path, reference } of credentialReferences(connection)) {
    const name = 'secret' in reference ? reference.secret : reference.env
    const value = 'secret' in reference ? secrets?.[name] : env[name]
    if (value === undefined || value === '') {
      const hint = 'secret' in reference ? ` (pulumi config set --secret ${name} <value>)` : ''
      throw new OutflowError('CREDENTIAL_MISSING', `${where} ${path}: ${describeReference(reference)} is not set${hint}`)
    }
    source[name] = value
  }
  return { source, values: Object.values(source) }
}
