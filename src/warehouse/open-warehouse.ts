import { resolveCredential, type CredentialSource } from '../credentials/resolve-credential.js'
import { OutflowError } from '../errors.js'
import type { SourceSpec } from '../spec/spec-types.js'
import { createDuckdbAdapter } from './duckdb/duckdb-adapter.js'
import { createPostgresAdapter } from './postgres/postgres-adapter.js'
import { withRuntime } from './runtime-adapter.js'
import { createSnowflakeAdapter } from './snowflake/snowflake-adapter.js'
import type { WarehouseAdapter } from './warehouse-adapter.js'

/**
 * Connects to the warehouse of a `Source`, with credentials from `credentials` (the environment
 * by default). Errors name the source and never a credential.
 */
export async function openWarehouse(source: SourceSpec, credentials: CredentialSource = process.env): Promise<WarehouseAdapter> {
  const where = `source "${source.name}"`
  const connection = source.connection
  try {
    switch (connection.type) {
      case 'duckdb':
        return withRuntime(
          await createDuckdbAdapter({ path: connection.path ?? ':memory:', memoryLimit: connection.memoryLimit ?? '1GB' }),
          source.name,
        )
      case 'postgres': {
        const password =
          connection.password === undefined ? undefined : resolveCredential(connection.password, `${where} password`, credentials)
        const url = connection.url === undefined ? undefined : resolveCredential(connection.url, `${where} url`, credentials)
        return withRuntime(await createPostgresAdapter({ ...connection, url, password }), source.name)
      }
      case 'snowflake': {
        const auth = connection.auth
        const secret = resolveCredential(
          auth.type === 'password' ? auth.password : auth.privateKey,
          `${where} ${auth.type === 'password' ? 'password' : 'private key'}`,
          credentials,
        )
        const passphrase =
          auth.type === 'keyPair' && auth.passphrase !== undefined
            ? resolveCredential(auth.passphrase, `${where} key passphrase`, credentials)
            : undefined
        return withRuntime(await createSnowflakeAdapter({ ...connection, auth: { type: auth.type, secret, passphrase } }), source.name)
      }
    }
  } catch (error) {
    if (error instanceof OutflowError) throw error
    const detail = error instanceof Error ? error.message : String(error)
    throw new OutflowError('WAREHOUSE_CONNECTION_FAILED', `${where} (${connection.type}): cannot connect: ${detail}`, {
      cause: error,
      retryable: true,
    })
  }
}
