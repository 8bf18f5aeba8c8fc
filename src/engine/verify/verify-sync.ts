import { objectDescriptorOf } from '../../destinations/connector-support.js'
import type { DestinationCatalog } from '../../destinations/destination-catalog.js'
import type { RequestGate } from '../../destinations/destination.js'
import type { ObjectReader, RecordReader, ReadRecord } from '../../destinations/record-reader.js'
import type { SyncSpec } from '../../model/spec-types.js'
import { computePlanDiff } from '../../warehouse/diff/compute-plan-diff.js'
import type { ReadOnlySession } from '../../warehouse/read-only-session.js'
import { readStatePresence } from '../../warehouse/state/state-presence.js'
import { syncTables } from '../../warehouse/state/state-tables.js'
import { tombstoneTable } from '../../warehouse/state/tombstones.js'
import type { WarehouseAdapter } from '../../warehouse/warehouse-adapter.js'
import type { RetryPolicy } from '../retry-policy.js'
import { createRecordMapper, renameColumn } from '../map-record.js'
import { errorSummary } from '../sync-run-result.js'
import { TaskPool } from '../task-pool.js'
import { assessRemoved, assessSynced, type AssessContext, type Assessment } from './assess-record.js'
import { readWithRetry } from './read-with-retry.js'
import { addFinding, emptyVerification, type SyncVerification } from './sync-verification.js'
import { countPending, streamRemovedKeys, streamSyncedRows, type VerifyRowsSource } from './verify-rows.js'

/** Knobs of a verification. */
export interface VerifySyncOptions {
  /**
   * Read this many synced keys, drawn at random, and as many removed ones; all when undefined.
   * @default undefined
   */
  sample?: number | undefined
  /**
   * Put the differing values in the findings. Off by default: they are model values, and a report
   * may be posted where everyone reads it.
   * @default false
   */
  showValues?: boolean
  retry?: RetryPolicy
  signal?: AbortSignal
}

/** Everything a sync's verification needs, opened by the caller and shared by the syncs of a connection. */
export interface VerifySyncContext {
  adapter: WarehouseAdapter
  /** The state schema of the sync's source. */
  schema: string
  sync: SyncSpec
  catalog: DestinationCatalog
  reader: RecordReader
  /** The connection's request gate: the connector's rate limits and the read endpoints' own. */
  gate: RequestGate
}

/** Model rows per cursor fetch: a few reads' worth, never the whole snapshot. */
const PAGE_ROWS = 500

/**
 * Verifies one sync: computes its change set in a read-only session of the warehouse (as a plan
 * does, nothing written) to learn which keys are pending, then reads the synced keys that are not
 * pending back from the vendor and compares them with their model rows, mapped as a run maps
 * them; for a mirror, reads the keys it removed, which must be gone. A sync that never ran has
 * nothing to read back. Objects that cannot be read back (events) are `notVerifiable`; a failure
 * is the sync's `failed` outcome, never thrown.
 */
export async function verifySync(context: VerifySyncContext, options: VerifySyncOptions = {}): Promise<SyncVerification> {
  const { sync } = context
  const result = emptyVerification(sync, options.sample)
  try {
    const readability = context.reader.objects[sync.object]
    if (readability === undefined || !readability.readable) {
      return { ...result, outcome: 'notVerifiable', reason: readability?.reason ?? `${sync.object} records cannot be read back` }
    }
    const removes = sync.behavior === 'mirror' ? readability.mirrorRemoves : undefined
    await context.adapter.readOnlySession((session) => verifyInSession(session, context, removes, result, options))
    return result
  } catch (error) {
    return { ...result, outcome: 'failed', error: errorSummary(error) }
  }
}

/** Which removed keys a mirror's verification reads: all, those the sync created, or none (not a mirror). */
type RemovedScope = 'all' | 'created' | undefined

async function verifyInSession(
  session: ReadOnlySession,
  context: VerifySyncContext,
  removes: RemovedScope,
  result: SyncVerification,
  options: VerifySyncOptions,
): Promise<void> {
  const { sync } = context
  const state = await readStatePresence(session, context.schema)
  const changes = await computePlanDiff(session, state, sync)
  result.fullResync = changes.fullResync
  if (!state.hasSnapshot(sync.name)) return
  const tables = {
    snapshot: syncTables(session.dialect, context.schema, sync.name).snapshot,
    changes: changes.table,
    tombstones: tombstoneTable(session.dialect, context.schema, sync.name),
  }
  const source: VerifyRowsSource = { reader: session, tables, plan: changes.plan, sample: options.sample }
  result.counts.pending = await countPending(source)
  const map = createRecordMapper(sync, objectDescriptorOf(context.catalog, sync.destination, sync.object), changes.plan.columns)
  const reader = context.reader.objectReader({
    sync: sync.name,
    object: sync.object,
    keyField: sync.key.field,
    options: sync.options,
    fields: writtenFields(sync, changes.plan.columns),
  })
  const assess: AssessContext = { map, keyField: sync.key.field, forms: reader.forms, showValues: options.showValues === true }
  await checkSynced(context, source, reader, assess, result, options)
  if (removes !== undefined && state.hasTombstones(sync.name))
    await checkRemoved(context, source, reader, removes === 'created', result, options)
}

/** The destination fields a sync writes, its key's field aside, named as the mapper names them. */
function writtenFields(sync: SyncSpec, columns: readonly string[]): string[] {
  const fields = sync.mappings.flatMap((mapping) => {
    if (mapping.kind !== 'allColumns') return [mapping.field]
    const except = new Set([...mapping.except, sync.key.column].map((c) => c.toLowerCase()))
    return columns.filter((c) => !except.has(c.toLowerCase())).map((c) => renameColumn(c, mapping.case))
  })
  return [...new Set(fields)].filter((field) => field !== sync.key.field)
}

async function checkSynced(
  context: VerifySyncContext,
  source: VerifyRowsSource,
  reader: ObjectReader,
  assess: AssessContext,
  result: SyncVerification,
  options: VerifySyncOptions,
): Promise<void> {
  await inBatches(streamSyncedRows(source, PAGE_ROWS), reader, async (rows) => {
    const records = await read(
      reader.read.bind(reader),
      rows.map((row) => row.key),
      context.gate,
      options,
    )
    for (const row of rows) tally(result, assessSynced(row, recordOf(records, row.key), assess))
  })
}

async function checkRemoved(
  context: VerifySyncContext,
  source: VerifyRowsSource,
  reader: ObjectReader,
  createdOnly: boolean,
  result: SyncVerification,
  options: VerifySyncOptions,
): Promise<void> {
  const readRemoved = (reader.readRemoved ?? reader.read).bind(reader)
  await inBatches(streamRemovedKeys(source, createdOnly, PAGE_ROWS), reader, async (removed) => {
    const records = await read(
      readRemoved,
      removed.map((r) => r.key),
      context.gate,
      options,
    )
    for (const { key, removedAt } of removed) {
      result.counts.removedRead += 1
      const finding = assessRemoved(key, removedAt, recordOf(records, key))
      if (finding !== undefined) addFinding(result, finding)
    }
  })
}

/** Reads pages from a cursor in the reader's batches, `concurrency` batches in flight. */
async function inBatches<T>(pages: AsyncIterable<T[]>, reader: ObjectReader, check: (batch: T[]) => Promise<void>): Promise<void> {
  const pool = new TaskPool(reader.concurrency)
  try {
    for await (const page of pages) {
      for (let start = 0; start < page.length; start += reader.batchSize) {
        const batch = page.slice(start, start + reader.batchSize)
        await pool.submit(() => check(batch))
      }
    }
    await pool.drain()
  } finally {
    await pool.drain().catch(() => undefined)
  }
}

function read(
  call: ObjectReader['read'],
  keys: readonly string[],
  gate: RequestGate,
  options: VerifySyncOptions,
): Promise<ReadonlyMap<string, ReadRecord>> {
  return readWithRetry(() => call(keys, gate), options.retry, options.signal)
}

function recordOf(records: ReadonlyMap<string, ReadRecord>, key: string): ReadRecord {
  return records.get(key) ?? { found: false }
}

function tally(result: SyncVerification, assessment: Assessment): void {
  result.counts.read += 1
  if (assessment.kind === 'pending') result.counts.pending += 1
  else if (assessment.kind === 'inSync') result.counts.inSync += 1
  else if (assessment.kind === 'outOfModel') result.counts.outOfModel += 1
  else addFinding(result, assessment)
}
