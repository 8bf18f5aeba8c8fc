import { redactSecrets } from '../credentials/redact.js'
import { resolveCredential, type CredentialSource } from '../credentials/resolve-credential.js'
import { OutflowError } from '../errors.js'
import type { SourceSpec } from '../model/spec-types.js'
import { createDuckdbAdapter } from './duckdb/duckdb-adapter.js'
import { createPostgresAdapter } from './postgres/postgres-adapter.js'
import { withRuntime } from './runtime-adapter.js'
import { createSnowflakeAdapter } from './snowflake/snowflake-adapter.js'
import type { WarehouseAdapter } from './warehouse-adapter.js'

/** Options of {@link openWarehouse}. */
export interface OpenWarehouseOptions {
  /**
   * The caller only reads (and uses read-only sessions): a DuckDB file opens read-only, so the
   * engine refuses any write to it. Other engines rely on the credentials given.
   * @default false
   */
  readOnly?: boolean
}

/**
 * Connects to the warehouse of a `Source`, with credentials from `credentials` (the environment
 * by default). Errors name the source and never a credential.
 */
export async function openWarehouse(
  source: SourceSpec,
  credentials: CredentialSource = process.env,
  options: OpenWarehouseOptions = {},
): Promise<WarehouseAdapter> {
  const where = `source "${source.name}"`
  const secrets: string[] = []
  const resolve = (reference: Parameters<typeof resolveCredential>[0], what: string) => {
    const value = resolveCredential(reference, `${where} ${what}`, credentials)
    secrets.push(value)
    return value
  }
  try {
    return withRuntime(await connect(source, resolve, options.readOnly === true), source.name)
  } catch (error) {
    if (error instanceof OutflowError) throw error
    const detail = redactSecrets(error instanceof Error ? error.message : String(error), secrets)
    // The cause is left out: driver errors may carry the connection options, credentials included.
    throw new OutflowError('WAREHOUSE_CONNECTION_FAILED', `${where} (${source.connection.type}): cannot connect: ${detail}`, {
      retryable: true,
    })
  }
}

type Resolve = (reference: Parameters<typeof resolveCredential>[0], what: string) => string

function connect(source: SourceSpec, resolve: Resolve, readOnly: boolean): Promise<WarehouseAdapter> {
  const connection = source.connection
  switch (connection.type) {
    case 'duckdb':
      return createDuckdbAdapter({ path: connection.path ?? ':memory:', memoryLimit: connection.memoryLimit ?? '1GB', readOnly })
    case 'postgres': {
      const password = connection.password === undefined ? undefined : resolve(connection.password, 'password')
      const url = connection.url === undefined ? undefined : resolve(connection.url, 'url')
      return createPostgresAdapter({ ...connection, url, password })
    }
    case 'snowflake': {
      const auth = connection.auth
      const secret = auth.type === 'password' ? resolve(auth.password, 'password') : resolve(auth.privateKey, 'private key')
      const passphrase = auth.type === 'keyPair' && auth.passphrase !== undefined ? resolve(auth.passphrase, 'key passphrase') : undefined
      return createSnowflakeAdapter({ ...connection, auth: { type: auth.type, secret, passphrase } })
    }
  }
}
