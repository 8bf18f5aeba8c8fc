/** How to reach a PostgreSQL server: a URL, or its parts. Credentials are already resolved. */
export interface PostgresConfig {
  /** `postgres://user:password@host:port/database`; when given, the other fields are ignored. */
  url?: string | undefined
  host?: string | undefined
  /** @default 5432 */
  port?: number | undefined
  database?: string | undefined
  user?: string | undefined
  password?: string | undefined
  /**
   * `disable`, `require` (encrypted, certificate not verified) or `verify-full`.
   * @default 'disable'
   */
  ssl?: 'disable' | 'require' | 'verify-full' | undefined
  /**
   * Connections in the pool: one streams the change set while others record results.
   * @default 4
   */
  maxConnections?: number
}
