import type { SyncOptions } from '../model/spec-types.js'
import type { ConnectorOptions, RateLimit, RequestGate } from './destination.js'

/*
 * The reader contract: how `outflow verify` reads records back from a vendor, to compare them
 * with what the snapshot says the vendor accepted. A reader declares which objects it can read,
 * the read endpoints' own rate limits, and how the vendor stores values; the engine owns batching,
 * pacing (through the connection's request gate), retries and the comparison.
 */

/** What the vendor holds for one key: its fields under the sync's field names, or nothing. */
export type ReadRecord =
  | { found: true; fields: Readonly<Record<string, unknown>> }
  /** `detail` says what is missing when it is not the whole record (a list membership). */
  | { found: false; detail?: string }

/** A read the vendor did not answer this time (429, 5xx, no answer): the engine tries again. */
export interface ReadRetry {
  code: 'rate_limited' | 'vendor_error' | 'network'
  /** Names the endpoint and what happened, never a credential or a record's values. */
  message: string
  retryAfterMs?: number
}

/** The records of a read call, one entry per key asked for; or a passing failure to retry. */
export type ReadOutcome = { ok: true; records: ReadonlyMap<string, ReadRecord> } | { ok: false; retry: ReadRetry }

/** How a vendor stores values, where it differs from what was sent. */
export interface ValueForms {
  /** Dates are kept to this precision: CleverTap's `$D_` dates to the second. */
  datePrecisionMs: number
  /** Fields whose text the vendor may store in another case (Braze upper-cases country codes). */
  caseInsensitiveFields: readonly string[]
}

/** What one sync reads: its object, the field its key maps to, its options and the fields it writes. */
export interface ReadTarget {
  /** The sync name, for messages. */
  sync: string
  object: string
  keyField: string | undefined
  options: SyncOptions
  /** Destination fields the sync writes (the key's field excluded), for vendors that export only named fields. */
  fields: readonly string[]
}

/** Reads one sync's records. Refused credentials and requests wrong for every key throw an `OutflowError`. */
export interface ObjectReader {
  /** Keys per `read` call (Braze exports 50 ids a request; the others read one key a request). */
  readonly batchSize: number
  /** `read` calls in flight at once. */
  readonly concurrency: number
  readonly forms: ValueForms
  /** The records of `keys`, as the sync wrote them. */
  read(keys: readonly string[], gate: RequestGate): Promise<ReadOutcome>
  /**
   * Whether records a mirror removed are still there as the sync left them: for a list sync, still
   * members of the list (the profile itself stays). The same as {@link read} when omitted.
   */
  readRemoved?(keys: readonly string[], gate: RequestGate): Promise<ReadOutcome>
}

/**
 * Whether an object's records can be read back. `mirrorRemoves: 'created'`: mirror removes only
 * records the sync created (Loops), so only those must be gone.
 */
export type Readability = { readable: true; mirrorRemoves: 'all' | 'created' } | { readable: false; reason: string }

/** Reads a vendor's records back. */
export interface RecordReader {
  /** Every object of the vendor's catalog, readable or not (and why not). */
  readonly objects: Readonly<Record<string, Readability>>
  /** The read endpoints' own documented rate limits, where they differ from the connector's. */
  readonly rateLimits: readonly RateLimit[]
  /**
   * Read groups of their own that the vendor does not rate limit (CleverTap's profile reads): a
   * connection's `maxRequestsPerSecond` limits them too.
   */
  readonly unlimitedGroups?: readonly string[]
  /** The reader of one sync's records; only for readable objects. */
  objectReader(target: ReadTarget): ObjectReader
}

/** Builds a vendor's reader from the same options as its connector. */
export type ReaderFactory = (options: ConnectorOptions) => RecordReader
