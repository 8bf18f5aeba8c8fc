/**
 * Stable error codes. Match on `code`, not on `instanceof`: two copies of Outflow in one process
 * (a CLI and a Pulumi program, say) have two different classes.
 */
export const ERROR_CODES = [
  'SPEC_INVALID',
  'SPEC_NOT_FOUND',
  'SYNC_NOT_FOUND',
  'OPTION_INVALID',
  'CREDENTIAL_MISSING',
  'WAREHOUSE_DRIVER_MISSING',
  'WAREHOUSE_CONNECTION_FAILED',
  'WAREHOUSE_IN_USE',
  'WAREHOUSE_QUERY_FAILED',
  'WAREHOUSE_CONFLICT',
  'MODEL_INVALID',
  'DBT_MANIFEST_INVALID',
  'LEASE_HELD',
  'LEASE_LOST',
  'DELETE_LIMIT',
  'RUN_INTERRUPTED',
  'DESTINATION_AUTH',
  'DESTINATION_RATE_LIMITED',
  'DESTINATION_UNAVAILABLE',
  'DESTINATION_REQUEST_INVALID',
  'WORKFLOW_ENGINE_UNAVAILABLE',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** Options for {@link OutflowError}. */
export interface OutflowErrorOptions {
  /** The underlying error. */
  cause?: unknown
  /**
   * Whether repeating the same operation later may succeed.
   * @default false
   */
  retryable?: boolean
}

/**
 * The one error class Outflow throws for failures that stop an operation. Row-level failures are
 * data (results), not exceptions. Messages name what failed and where, and never carry secrets.
 */
export class OutflowError extends Error {
  override name = 'OutflowError'
  readonly code: ErrorCode
  readonly retryable: boolean

  constructor(code: ErrorCode, message: string, options: OutflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.retryable = options.retryable ?? false
  }
}

/** True when `error` is an {@link OutflowError} (by shape, so it works across copies of the library). */
export function isOutflowError(error: unknown): error is OutflowError {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
}
