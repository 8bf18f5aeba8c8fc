import type { Dispatcher } from 'undici'

import type { CredentialSource } from '../credentials/resolve-credential.js'
import type { Behavior } from '../model/behavior.js'
import type { DestinationSpecDocument } from '../model/spec-document-types.generated.js'
import type { SyncOptions } from '../model/spec-types.js'
import type { DestinationCatalog, FieldType } from './destination-catalog.js'

/*
 * The connector contract. A connector declares its objects and limits, checks credentials,
 * prepares what must exist at the destination, and delivers one batch at a time, returning one
 * result per record. The engine owns batching, rate limiting, retries and state: a connector
 * never retries, never sleeps and never throws for a single bad record.
 */

/** A destination field value, typed; the connector writes it in the vendor's wire format. */
export type FieldValue = string | number | boolean | Date | null

/** One record to deliver: a model row, already mapped to destination fields and cast to their types. */
export interface DeliveryRecord {
  /** The sync key's value: identifies the record in results and in the snapshot. */
  key: string
  /**
   * `upsert`: write the record (created or updated as the behavior allows). `delete`: remove what
   * this sync wrote (mirror). `send`: send the record as an event, once.
   */
  op: 'upsert' | 'delete' | 'send'
  /** Whether the row is new to this sync (`added`) or was sent before (`changed`); Loops trigger events use it. */
  change: 'added' | 'changed' | 'removed'
  /** Destination fields by name, the key's field included. Empty for deletes, except the key field. */
  fields: Readonly<Record<string, FieldValue>>
  /**
   * A key the vendor can use to drop a repeated send (Loops events, Courier POSTs), stable across
   * retries and runs: derived from the sync, the record key and its row hash.
   */
  idempotencyKey: string
  /**
   * For deletes: whether this sync created the record at the destination (as reported by an
   * earlier `accepted` result), or unknown. Loops mirror deletes only contacts the sync created.
   */
  createdBySync?: boolean | undefined
}

/** A batch of records for one object, within the connector's declared limits. */
export interface DeliveryBatch {
  /** The sync name, for messages. */
  sync: string
  object: string
  behavior: Behavior
  /** The destination field the sync key maps to; undefined for event objects. */
  keyField: string | undefined
  options: SyncOptions
  records: readonly DeliveryRecord[]
}

/** What became of one record. Row failures are data, not exceptions. */
export type RecordResult =
  /** `created`: the record did not exist before this delivery (when the vendor tells). */
  | { key: string; status: 'accepted'; created?: boolean }
  /** The vendor refused the record itself: sending it again unchanged would fail again. */
  | { key: string; status: 'rejected'; code: string; message: string }
  /** The record was not taken (rate limited, vendor error, no answer): the engine decides by `code` whether to try again. */
  | { key: string; status: 'failed'; code: FailureCode; message: string; retryAfterMs?: number }

/**
 * Why a record was not taken, as far as the engine must know: whether to retry it, split its
 * batch, or, for events, count it as possibly delivered (at most once). A closed set, so that no
 * decision hangs on a message's wording.
 */
export const FAILURE_CODES = [
  /** The vendor's rate limit (429): not taken; retried after its delay. */
  'rate_limited',
  /** A vendor fault (5xx, or an error it reported without taking the record): not taken; retried. */
  'vendor_error',
  /** The request left but no answer came (reset, timed out): it may have arrived. */
  'network',
  /** The request never left (connection refused, host not found): not taken, even an event may go again. */
  'not_sent',
  /** An answer that is not the endpoint's documented success nor a documented error: it may have arrived. */
  'unexpected_answer',
  /** The vendor refused a batch of several records as a whole: the engine splits it to find the bad one. */
  'batch_rejected',
  /** The vendor reported errors it did not pin on a record: these records may not have been taken; retried. */
  'unattributed_error',
  /** Delivery stopped first (refused credentials, a stop): not sent. */
  'stopped',
  /** The connector produced no result for the record (a bug): it may have been sent. */
  'no_result',
] as const
export type FailureCode = (typeof FAILURE_CODES)[number]

/** Failures after which the record may be at the vendor: an event is then never sent again. */
export function mayHaveArrived(code: FailureCode): boolean {
  return code === 'network' || code === 'unexpected_answer' || code === 'no_result'
}

/** How the engine sizes and schedules `deliver` calls for an object; each number's source is in a comment where it is declared. */
export interface DeliveryLimits {
  /** Records per `deliver` call (the vendor's batch size; one for APIs without batch endpoints). */
  batchSize: number
  /** `deliver` calls in flight at once (the vendor's concurrency limit, where it has one). */
  concurrency: number
  /**
   * HTTP requests a full batch makes, by rate-limit group: what a plan multiplies by the number of
   * batches to estimate API calls and, at the group's rate limit, the duration.
   */
  requestsPerBatch: Readonly<Record<string, number>>
  /**
   * Deletes (mirror), when they go to another endpoint with its own limit: batched at its size
   * and counted in its rate-limit group. Without it, deletes are batched like the rest.
   */
  deletes?: { batchSize: number; requestsPerBatch: Readonly<Record<string, number>> }
}

/**
 * A vendor rate limit: at most `requests` per `perMs` milliseconds, for the requests a connector
 * makes in `group` (`default` for most; Courier's list writes have their own).
 */
export interface RateLimit {
  group: string
  requests: number
  perMs: number
}

/**
 * Given by the engine to `deliver`, `check` and `prepare`: the connector awaits `acquire(group)`
 * before each HTTP request. The engine implements it with one limiter per destination connection,
 * shared by every sync that uses it, so that the vendor's limit holds across syncs.
 */
export interface RequestGate {
  acquire(group?: string): Promise<void>
  /**
   * The vendor refused a request of `group` with its rate limit and asked to wait `ms`: no request
   * of the group leaves until then. Without it, every request already queued would be refused in
   * turn (a window the vendor counts is full whatever the pace) and each refusal costs a retry.
   */
  holdOff?(group: string, ms: number): void
}

/** The result of a credentials check, as a "Test connection" button shows it. */
export type CheckResult =
  { ok: true; detail: string } | { ok: false; code: 'DESTINATION_AUTH' | 'DESTINATION_UNAVAILABLE'; message: string }

/** What a sync needs to exist at the destination before its first delivery. */
export interface PrepareRequest {
  object: string
  options: SyncOptions
  /** Destination fields the sync writes, with their types (Loops creates missing custom properties). */
  fields: Readonly<Record<string, FieldType>>
}

/** What `prepare` found and did, in words for logs and plans. */
export interface PrepareResult {
  created: string[]
  existing: string[]
}

/** A connected destination. */
export interface DestinationConnector {
  readonly catalog: DestinationCatalog
  limits(object: string): DeliveryLimits
  /** The vendor's rate limits, by request group, lowered to the connection's `maxRequestsPerSecond` where it has one. */
  readonly rateLimits: readonly RateLimit[]
  /** Tests the credentials with the vendor's cheapest authenticated call. Never throws for bad credentials. */
  check(gate?: RequestGate): Promise<CheckResult>
  /** Creates what must exist first (Loops custom properties, Courier lists). Idempotent. */
  prepare(request: PrepareRequest, gate?: RequestGate): Promise<PrepareResult>
  /** Lists what `prepare` would create, without creating it (for previews and drift checks). */
  missing(request: PrepareRequest, gate?: RequestGate): Promise<string[]>
  /**
   * Delivers one batch and returns exactly one result per record, in order. Throws an
   * `OutflowError` with code `DESTINATION_AUTH` when the vendor refuses the credentials (the run
   * must stop); every other failure is a per-record result.
   */
  deliver(batch: DeliveryBatch, gate: RequestGate): Promise<RecordResult[]>
}

/** How a connector is made: the connection spec, its credentials, and the HTTP dispatcher to use. */
export interface ConnectorOptions {
  /** The destination's name in the specs, for messages. */
  name: string
  connection: DestinationSpecDocument
  /** Where credential references resolve (the environment by default). */
  credentials?: CredentialSource
  /** undici dispatcher for every request (tests pass one bound to an emulator, or a MockAgent). */
  dispatcher?: Dispatcher
  /**
   * Request timeout, in milliseconds.
   * @default 30000
   */
  timeoutMs?: number
}

/** Builds a connector for one vendor. */
export type ConnectorFactory = (options: ConnectorOptions) => DestinationConnector
