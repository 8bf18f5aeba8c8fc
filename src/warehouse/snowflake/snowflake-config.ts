/** How to reach Snowflake. Credentials are already resolved. */
export interface SnowflakeConfig {
  account: string
  user: string
  auth: { type: 'password' | 'keyPair'; secret: string; passphrase?: string | undefined }
  warehouse: string
  database: string
  /** @default 'PUBLIC' */
  schema?: string | undefined
  role?: string | undefined
  /** Full endpoint URL, for private links or a local emulator; derived from `account` when omitted. */
  accessUrl?: string | undefined
}
