import type { Attributes } from '@opentelemetry/api'

/**
 * The attribute names Outflow's spans and metrics carry. Outflow's own are under `outflow.`; HTTP
 * ones follow the OpenTelemetry semantic conventions for HTTP clients. None holds a credential, a
 * model value or a row key: an endpoint is its template (`POST /profiles/{user_id}`), never a path
 * or a query string with a customer's identifier in it.
 */
export const ATTRIBUTES = {
  sync: 'outflow.sync',
  source: 'outflow.source',
  destination: 'outflow.destination',
  vendor: 'outflow.vendor',
  object: 'outflow.object',
  behavior: 'outflow.behavior',
  runId: 'outflow.run.id',
  runStatus: 'outflow.run.status',
  fullResync: 'outflow.run.full_resync',
  rowOutcome: 'outflow.row.outcome',
  page: 'outflow.page',
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  resendCount: 'http.request.resend_count',
  urlTemplate: 'url.template',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
} as const

/**
 * What telemetry needs to know of a sync and where it runs: the slice of a runnable sync it reads
 * (the engine's `RunnableSync` has this shape).
 */
export interface RunTarget {
  sync: { name: string; object: string; behavior: string }
  source: { name: string }
  destination: { name: string; connection: { type: string } }
}

/** The attributes every run-level span and metric carries: which sync, from where, to where. */
export function runTargetAttributes(target: RunTarget): Attributes {
  return {
    [ATTRIBUTES.sync]: target.sync.name,
    [ATTRIBUTES.source]: target.source.name,
    [ATTRIBUTES.destination]: target.destination.name,
    [ATTRIBUTES.vendor]: target.destination.connection.type,
  }
}

/**
 * What an error is, for `error.type`: the code of its innermost cause that has one (a socket's
 * `ECONNRESET`, undici's `UND_ERR_HEADERS_TIMEOUT`), else its own code or class name. Never its
 * message, which may quote a vendor's answer.
 */
export function errorTypeOf(error: unknown): string {
  let type = error instanceof Error ? error.name : typeof error
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as Error & { code?: unknown }).code
    if (typeof code === 'string') type = code
    cause = cause.cause
  }
  return type
}
