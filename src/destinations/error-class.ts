/**
 * How the engine treats a vendor response, decided once per vendor in a table
 * (`providers/<vendor>/<vendor>-errors.ts`):
 * - `auth`: the credentials are refused; the run stops.
 * - `rate_limited`: too many requests; retry after the vendor's delay or a backoff.
 * - `retryable`: a server or network fault; retry with backoff.
 * - `record`: the record itself is invalid; recorded as rejected, not retried unchanged.
 * - `fatal`: the request is wrong for every record (a bug or a misconfiguration); the run stops.
 */
export const ERROR_CLASSES = ['auth', 'rate_limited', 'retryable', 'record', 'fatal'] as const
export type ErrorClass = (typeof ERROR_CLASSES)[number]
