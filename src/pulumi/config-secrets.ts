import * as pulumi from '@pulumi/pulumi'

import { OutflowError } from '../errors.js'
import { credentialReferences } from './runtime/credential-references.js'

/**
 * The values of a connection's `{ secret: NAME }` references, read from the Pulumi config (key
 * NAME of the project, `pulumi config set --secret NAME value`), as one secret map by NAME.
 * `{ env: NAME }` references are left to the provider, which reads its environment at apply time.
 * Throws `CREDENTIAL_MISSING`, naming `where`, the property and the key, when one is not set.
 */
export function configSecrets(config: pulumi.Config, where: string, connection: unknown): pulumi.Output<Record<string, string>> {
  const values: Record<string, pulumi.Output<string>> = {}
  for (const { path, reference } of credentialReferences(connection)) {
    if (!('secret' in reference)) continue
    const value = config.getSecret(reference.secret)
    if (value === undefined) {
      throw new OutflowError(
        'CREDENTIAL_MISSING',
        `${where} ${path}: Pulumi config secret ${reference.secret} is not set; set it with \`pulumi config set --secret ${reference.secret} <value>\``,
      )
    }
    values[reference.secret] = value
  }
  return pulumi.secret(pulumi.all(values))
}
