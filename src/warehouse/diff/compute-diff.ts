import { syncSpecHash } from '../../spec/spec-hash.js'
import type { SyncSpec } from '../../model/spec-types.js'
import { field, numberField, pickColumns, textField } from '../row-field.js'
import { applyPending, ensureSyncTables, readSnapshotInfo, type SnapshotInfo } from '../state/snapshot.js'
import { syncTables } from '../state/state-tables.js'
import type { Row, WarehouseAdapter, WarehouseReader } from '../warehouse-adapter.js'
import { describeModel } from './describe-model.js'
import { planDiff, type DiffPlan } from './diff-plan.js'
import {
  CHANGE_OPS,
  renderAddedCountsSql,
  renderAddedRowsSql,
  renderAddedSql,
  renderChangesSql,
  renderDeltaSql,
  renderKeyRejectionsSql,
  type ChangeOp,
} from './diff-sql.js'
import { keepResendKeys, keyedDiffPlan, readMissingKeys, resendSnapshotSql, type DiffResend, type Resend } from './resend.js'
import type { Rejection } from '../state/rejected-rows.js'

/** A row to deliver: what happened to it, its key, its new row hash, and its mapped column values. */
export interface ChangeRow {
  op: 'added' | 'changed' | 'removed'
  key: string
  /** The row hash to record once the destination accepts the row; null for removals. */
  hash: string | null
  /**
   * Model column values, by the warehouse's column names; empty for removals. It may hold other
   * columns too (a first sync's rows are handed over as read), which no mapping reads.
   */
  values: Row
  /**
   * What the snapshot recorded about the record's creation: true when this sync created it at the
   * destination, false when it was there before, undefined when unknown (the vendor did not tell,
   * or the row is new to the sync). For a removal it decides whether mirror may delete the record.
   */
  created?: boolean | undefined
}

/** The outcome of a diff: counts per kind, whether the spec changed, and the rows, to stream. */
export interface ChangeSet {
  plan: DiffPlan
  specHash: string
  /** True when every row counts as changed: the snapshot was built under another spec, or a full resync was asked for. */
  fullResync: boolean
  /** With a resend of some keys: those no model row has (nothing is sent for them). */
  missingKeys: string[]
  /** The snapshot the diff compared against (after recovering a crashed run's rows). */
  snapshot: SnapshotInfo
  counts: Record<ChangeOp, number>
  /** Rows rejected by the diff itself (duplicate keys, null keys), counted in rows. */
  rejectedRows: number
  diffMs: number
  /**
   * The table holding the change set (`__op`, `__key`, …), for queries that join it; undefined
   * when the rows are read from the model as they are delivered (see {@link computeDiff}'s `streamed`).
   */
  table: string | undefined
  /** Streams the rows to deliver, in batches, through a cursor. */
  rows(batchSize: number): AsyncIterable<ChangeRow[]>
  /** Streams the rejections (one per duplicated key, one for all null keys). */
  rejections(batchSize: number): AsyncIterable<Rejection[]>
}

/** A change set made into a table: what plans, verification and workers read. */
export type TabledChangeSet = ChangeSet & { table: string }

/** Where a diff reads the snapshot and keeps its two tables. */
export interface DiffStore {
  /** The snapshot table, or a relation shaped like one. */
  snapshot: string
  /** Materialises `select` as the diff's delta, change set or resend's keys, and resolves to the table's reference. */
  keep(table: 'delta' | 'changes' | 'keys', select: string): Promise<string>
}

/**
 * The runner's diff: what changed in a sync's model since the destination last accepted it,
 * computed inside the warehouse. Makes the sync's state tables if needed, recovers rows a crashed
 * run had accepted, then materialises the change set in the state schema (`delta__<sync>`,
 * `changes__<sync>`, replaced by every run). Node only streams the result. The caller holds the
 * sync's lease: nothing else writes these tables meanwhile. Plans use `computePlanDiff`.
 *
 * With `resend`, the rows it names count as changed whatever the snapshot holds; the keys of a
 * resend of some keys go to `keys__<sync>` while the diff runs. Recording that the resend is owed
 * is the runner's (`markForResend`), once the run is sure to go ahead.
 */
export async function computeDiff(
  adapter: WarehouseAdapter,
  schema: string,
  sync: SyncSpec,
  resend?: Resend,
  options: ComputeDiffOptions = {},
): Promise<ChangeSet> {
  const { dialect } = adapter
  const tables = syncTables(dialect, schema, sync.name)
  await ensureSyncTables(adapter, schema, sync.name)
  await applyPending(adapter, schema, sync.name, undefined)
  const snapshot = await readSnapshotInfo(adapter, schema, sync.name)
  if (options.streamed === true && snapshot.rows === 0 && resend === undefined) {
    // An earlier run's change set holds the model's values: it goes, as a new one would replace it.
    for (const table of [tables.delta, tables.changes]) await adapter.run({ sql: `drop table if exists ${table}` })
    return streamAddedRows(adapter, sync, snapshot)
  }
  const keep = async (table: 'delta' | 'changes' | 'keys', select: string) => {
    await adapter.run({ sql: dialect.createTableAs(tables[table], select) })
    return tables[table]
  }
  const keys = resend?.kind === 'keys' ? await keepResendKeys(adapter, (select) => keep('keys', select), resend.keys) : undefined
  try {
    return await diffModel(adapter, sync, snapshot, { snapshot: tables.snapshot, keep }, resend === undefined ? undefined : { keys })
  } finally {
    // The keys are the user's values: kept no longer than the diff needs them.
    if (keys !== undefined) await adapter.run({ sql: `drop table if exists ${keys}` }).catch(() => undefined)
  }
}

/** How {@link computeDiff} hands the change set over. */
export interface ComputeDiffOptions {
  /**
   * A first sync (an empty snapshot, no resend) is not made into a table: its rows are read from
   * the model as they are delivered, so the warehouse hashes them while the first batches are on
   * their way instead of before. Only the counts are read first. For a caller that reads the rows
   * once, in order (one process); workers page a table.
   */
  streamed?: boolean
}

/**
 * A first sync's change set, read from the model as it is delivered: every row whose key is
 * neither null nor shared is added (the same rows, hashes and rejections as the table
 * `renderAddedSql` would make). The counts come from one grouping of the keys beforehand.
 */
async function streamAddedRows(reader: WarehouseReader, sync: SyncSpec, snapshot: SnapshotInfo): Promise<ChangeSet> {
  const { dialect } = reader
  const specHash = syncSpecHash(sync)
  const plan = planDiff(sync, await describeModel(reader, sync), specHash)
  const started = performance.now()
  const totals = (await reader.run({ sql: renderAddedCountsSql(plan, dialect) })).rows[0] ?? {}
  const nullRows = numberField(totals, 'null_rows')
  const counts = noChanges()
  counts.added = numberField(totals, 'added')
  counts.duplicate_key = numberField(totals, 'duplicate_keys')
  counts.null_key = nullRows > 0 ? 1 : 0
  const columns = plan.columns.map((c) => `, c.${dialect.quoteIdentifier(c)}`).join('')
  // Every row is added and new to the sync: only its key, hash and values are read.
  const rows = `select c.__key, c.__hash${columns} from (${renderAddedRowsSql(plan, dialect)}) c`
  return {
    plan,
    specHash,
    fullResync: false,
    missingKeys: [],
    snapshot,
    counts,
    rejectedRows: numberField(totals, 'duplicate_rows') + nullRows,
    diffMs: Math.round(performance.now() - started),
    table: undefined,
    rows: async function* (batchSize) {
      for await (const page of reader.stream({ sql: rows }, batchSize))
        yield page.map((row) => ({
          op: 'added',
          key: textField(row, '__key') ?? '',
          hash: textField(row, '__hash') ?? null,
          // The row as read: besides the mapped columns it holds only the key and hash, and a
          // copy per row without them cost a few percent of the whole sync.
          values: row,
        }))
    },
    rejections: (batchSize) => streamRejections(reader, `(${renderKeyRejectionsSql(plan, dialect)}) r`, batchSize),
  }
}

/**
 * Describes the model (refusing anything but one statement), runs the two diff queries into
 * `store`, and counts the result: the part of a diff that runs and plans share. With `resend`,
 * the snapshot rows it names read as sent with a hash no row has (every row of them is changed),
 * and a resend of some keys reads only their model rows and removes nothing.
 */
export async function diffModel(
  reader: WarehouseReader,
  sync: SyncSpec,
  snapshot: SnapshotInfo,
  store: DiffStore,
  resend?: DiffResend,
): Promise<TabledChangeSet> {
  const { dialect } = reader
  const specHash = syncSpecHash(sync)
  const modelPlan = planDiff(sync, await describeModel(reader, sync), specHash)
  const keys = resend?.keys
  const plan = keys === undefined ? modelPlan : keyedDiffPlan(modelPlan, dialect, keys)
  const started = performance.now()
  let table: string
  if (snapshot.rows === 0) {
    // Against an empty snapshot every row is added: one pass over the model makes the change set.
    table = await store.keep('changes', renderAddedSql(plan, dialect))
  } else {
    const against = resend === undefined ? store.snapshot : resendSnapshotSql(dialect, store.snapshot, keys)
    const delta = await store.keep('delta', renderDeltaSql(plan, dialect, against))
    table = await store.keep('changes', renderChangesSql(plan, dialect, delta))
  }
  const diffMs = Math.round(performance.now() - started)
  const { counts, rejectedRows } = await countChanges(reader, table)
  const specChanged = snapshot.rows > 0 && snapshot.specHash !== undefined && snapshot.specHash !== specHash
  return {
    // The model's own plan: a resend's keys table is gone once the diff has run.
    plan: modelPlan,
    specHash,
    fullResync: resend === undefined ? specChanged : keys === undefined,
    missingKeys: keys === undefined ? [] : await readMissingKeys(reader, keys, table),
    snapshot,
    counts,
    rejectedRows,
    diffMs,
    table,
    rows: (batchSize) => streamChanges(reader, table, plan, batchSize),
    rejections: (batchSize) => streamRejections(reader, table, batchSize),
  }
}

async function countChanges(reader: WarehouseReader, table: string): Promise<{ counts: Record<ChangeOp, number>; rejectedRows: number }> {
  const totals = await reader.run({ sql: `select __op, count(*) as n, sum(__count) as c from ${table} group by __op` })
  const counts = noChanges()
  let rejectedRows = 0
  for (const row of totals.rows) {
    const op = textField(row, '__op') as ChangeOp
    counts[op] = numberField(row, 'n')
    if (op === 'duplicate_key' || op === 'null_key') rejectedRows += numberField(row, 'c')
  }
  return { counts, rejectedRows }
}

/** Every kind of change at zero. */
function noChanges(): Record<ChangeOp, number> {
  return Object.fromEntries(CHANGE_OPS.map((op) => [op, 0])) as Record<ChangeOp, number>
}

async function* streamChanges(reader: WarehouseReader, table: string, plan: DiffPlan, batchSize: number): AsyncIterable<ChangeRow[]> {
  // Only what a change row holds: every column read costs a conversion per row in Node.
  const columns = plan.columns.map((c) => `, ${reader.dialect.quoteIdentifier(c)}`).join('')
  const sql = `select __op, __key, __hash, __created${columns} from ${table} where __op in ('added', 'changed', 'removed')`
  for await (const rows of reader.stream({ sql }, batchSize)) {
    yield rows.map((row) => toChangeRow(row, plan.columns))
  }
}

/** A row of a change set table as the runner delivers it; `columns` are the model's mapped columns. */
export function toChangeRow(row: Row, columns: readonly string[]): ChangeRow {
  return {
    op: textField(row, '__op') as ChangeRow['op'],
    key: textField(row, '__key') ?? '',
    hash: textField(row, '__hash') ?? null,
    values: pickColumns(row, columns),
    created: booleanField(row, '__created'),
  }
}

/** A boolean state column, as drivers return it (a boolean, or `true`/`false`, `1`/`0`); undefined when null. */
function booleanField(row: Row, name: string): boolean | undefined {
  const text = textField(row, name)?.toLowerCase()
  if (text === 'true' || text === '1') return true
  if (text === 'false' || text === '0') return false
  return undefined
}

async function* streamRejections(reader: WarehouseReader, table: string, batchSize: number): AsyncIterable<Rejection[]> {
  const sql = `select __op, __key, __count from ${table} where __op in ('duplicate_key', 'null_key')`
  for await (const rows of reader.stream({ sql }, batchSize)) {
    yield rows.map((row) => {
      const count = Number(field(row, '__count'))
      return textField(row, '__op') === 'null_key'
        ? { key: '', reason: count === 1 ? '1 row has a null key' : `${count} rows have a null key` }
        : { key: textField(row, '__key') ?? '', reason: `duplicate key: ${count} rows share it` }
    })
  }
}
