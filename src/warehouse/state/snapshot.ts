import type { WarehouseAdapter, WarehouseReader } from '../warehouse-adapter.js'
import { field, textField } from '../row-field.js'
import { stateTables, syncTables } from './state-tables.js'
import { createTombstoneTableSql, tombstoneMergeStatements, tombstoneTable } from './tombstones.js'

/** A row the destination accepted: its key and the hash it was sent with, or a removal. */
export interface AcceptedRow {
  key: string
  /** Null records an event whose send is under way: present (never sent again), but not confirmed. */
  hash: string | null
  op: 'upsert' | 'delete'
  /** Whether this sync created the record at the destination, when the vendor tells. */
  created?: boolean | undefined
}

/** Rows per INSERT of VALUES lists: keeps statements under every engine's parameter limit. */
const INSERT_CHUNK = 1000
/** Rows per INSERT from bound arrays. */
const ARRAY_CHUNK = 50_000

/** Creates a sync's snapshot, pending and tombstone tables when they do not exist. */
export async function ensureSyncTables(adapter: WarehouseAdapter, schema: string, sync: string): Promise<void> {
  const { types: t } = adapter.dialect
  const tables = syncTables(adapter.dialect, schema, sync)
  await adapter.run({
    sql: `create table if not exists ${tables.snapshot} (row_key ${t.text} not null, row_hash ${t.rowHash}, synced_at ${t.timestamp} not null, created ${t.boolean})`,
  })
  await adapter.run({
    sql: `create table if not exists ${tables.pending} (seq ${t.bigint} not null, row_key ${t.text} not null, row_hash ${t.rowHash}, op ${t.text} not null,
      synced_at ${t.timestamp} not null, run_id ${t.text}, created ${t.boolean})`,
  })
  await adapter.run({ sql: createTombstoneTableSql(adapter.dialect, tombstoneTable(adapter.dialect, schema, sync)) })
}

let sequence = 0
/**
 * Increasing across calls in this process, and across processes by the clock (a thousand numbers
 * a millisecond, borrowed from the next one when a large write needs more): later records win.
 */
function nextSequence(): number {
  sequence = Math.max(sequence + 1, Date.now() * 1000)
  return sequence
}

/**
 * Records rows the destination accepted, in one transaction, to the sync's pending log. Appending
 * keeps each commit cheap however large the snapshot is; {@link applyPending} merges the log.
 * A crash after sending and before this commit only means those rows are sent again.
 */
export async function recordAccepted(
  adapter: WarehouseAdapter,
  schema: string,
  sync: string,
  rows: readonly AcceptedRow[],
  runId: string,
): Promise<void> {
  if (rows.length === 0) return
  const { dialect } = adapter
  const { pending } = syncTables(dialect, schema, sync)
  const columns = 'seq, row_key, row_hash, op, synced_at, run_id, created'
  const t = dialect.types
  const placeholders = `(?, ?, ${dialect.hashFromText('?')}, ?, ${dialect.now()}, ?, ?)`
  await adapter.transaction(async (tx) => {
    if (dialect.rowsFromArrays !== undefined) {
      // A few bound arrays per statement, whatever the row count: ten times faster than VALUES lists.
      for (let start = 0; start < rows.length; start += ARRAY_CHUNK) {
        const chunk = rows.slice(start, start + ARRAY_CHUNK)
        // A value every row shares is bound once: each array costs the engine a parse per item.
        const op = uniform(chunk, (row) => row.op)
        const created = uniform(chunk, (row) => row.created ?? null)
        const arrays = [
          { name: 'seq', type: t.bigint, values: chunk.map(() => nextSequence()) },
          { name: 'row_key', type: t.text, values: chunk.map((row) => row.key) },
          { name: 'hash_text', type: t.text, values: chunk.map((row) => row.hash) },
          ...(op === undefined ? [{ name: 'op', type: t.text, values: chunk.map((row) => row.op) }] : []),
          ...(created === undefined ? [{ name: 'created', type: t.boolean, values: chunk.map((row) => row.created ?? null) }] : []),
        ]
        await tx.run({
          sql: `insert into ${pending} (${columns}) select seq, row_key, ${dialect.hashFromText('hash_text')}, ${op === undefined ? 'op' : `cast(? as ${t.text})`},
            ${dialect.now()}, ?, ${created === undefined ? 'created' : `cast(? as ${t.boolean})`} from (${dialect.rowsFromArrays(arrays)}) a`,
          params: [
            ...(op === undefined ? [] : [op.value]),
            runId,
            ...(created === undefined ? [] : [created.value]),
            ...arrays.map((a) => a.values),
          ],
        })
      }
      return
    }
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK)
      await tx.run({
        sql: `insert into ${pending} (${columns}) values ${chunk.map(() => placeholders).join(', ')}`,
        params: chunk.flatMap((row) => [nextSequence(), row.key, row.hash, row.op, runId, row.created ?? null]),
      })
    }
  })
}

/** The value every row has (wrapped, so that a shared null is told from none), else undefined. */
function uniform<T>(rows: readonly AcceptedRow[], of: (row: AcceptedRow) => T): { value: T } | undefined {
  const first = rows[0]
  if (first === undefined) return undefined
  const value = of(first)
  return rows.every((row) => of(row) === value) ? { value } : undefined
}

/**
 * Merges the pending log into the snapshot in one transaction: the latest record per key wins;
 * removals delete. Run before each diff (it recovers what a crashed run accepted) and after each
 * run. `specHash` is recorded as the spec the snapshot now reflects (unchanged when undefined, as
 * when recovering a crashed run's rows). Returns the merged count.
 */
export async function applyPending(adapter: WarehouseAdapter, schema: string, sync: string, specHash: string | undefined): Promise<number> {
  const { dialect } = adapter
  const tables = syncTables(dialect, schema, sync)
  const state = stateTables(dialect, schema)
  return adapter.transaction(async (tx) => {
    const count = Number(field((await tx.run({ sql: `select count(*) as n from ${tables.pending}` })).rows[0] ?? {}, 'n'))
    if (count > 0) {
      const tombstones = tombstoneTable(dialect, schema, sync)
      const snapshotRows = Number(field((await tx.run({ sql: `select count(*) as n from ${tables.snapshot}` })).rows[0] ?? {}, 'n'))
      const statements =
        snapshotRows === 0
          ? firstMergeStatements(tables.snapshot, tables.pending, tombstones)
          : mergeStatements(tables.snapshot, tables.pending, tombstones)
      for (const sql of statements) await tx.run({ sql })
      await tx.run({ sql: `delete from ${tables.pending}` })
    }
    // The spec hash is recorded even when nothing was accepted: a run that sent nothing still
    // ran under this spec (a `send` sync's first run then counts as done).
    if (specHash === undefined) return count
    await tx.run({ sql: `delete from ${state.snapshots} where sync = ?`, params: [sync] })
    await tx.run({
      sql: `insert into ${state.snapshots} (sync, spec_hash, updated_at) values (?, ?, ${dialect.now()})`,
      params: [sync, specHash],
    })
    return count
  })
}

/** What the snapshot of a sync reflects: the spec hash it was last merged under, and its size. */
export interface SnapshotInfo {
  specHash: string | undefined
  rows: number
}

/** Reads the snapshot's spec hash and row count (zero rows and no hash before the first run). */
export async function readSnapshotInfo(adapter: WarehouseReader, schema: string, sync: string): Promise<SnapshotInfo> {
  const { dialect } = adapter
  const tables = syncTables(dialect, schema, sync)
  const meta = await adapter.run({ sql: `select spec_hash from ${stateTables(dialect, schema).snapshots} where sync = ?`, params: [sync] })
  const count = await adapter.run({ sql: `select count(*) as n from ${tables.snapshot}` })
  return {
    specHash: meta.rows[0] === undefined ? undefined : textField(meta.rows[0], 'spec_hash'),
    rows: Number(field(count.rows[0] ?? {}, 'n')),
  }
}

/**
 * The merge of the pending log into the snapshot: keep the latest record per key, bring the
 * tombstones in step (before the snapshot forgets the removed keys), update the keys the snapshot
 * has (a record created by this sync stays marked created), delete removals, insert the new keys.
 * Hash joins only, no sort, so an initial sync of millions of rows merges quickly.
 */
function mergeStatements(snapshot: string, pending: string, tombstones: string): string[] {
  return [
    `delete from ${pending} where exists (select 1 from ${pending} newer where newer.row_key = ${pending}.row_key and newer.seq > ${pending}.seq)`,
    ...tombstoneMergeStatements(tombstones, snapshot, pending),
    `update ${snapshot} set row_hash = p.row_hash, synced_at = p.synced_at, created = coalesce(${snapshot}.created, p.created)
      from ${pending} p where ${snapshot}.row_key = p.row_key and p.op = 'upsert'`,
    `delete from ${snapshot} where row_key in (select row_key from ${pending} where op = 'delete')`,
    `insert into ${snapshot} (row_key, row_hash, synced_at, created) select p.row_key, p.row_hash, p.synced_at, p.created from ${pending} p
      where p.op = 'upsert' and not exists (select 1 from ${snapshot} s where s.row_key = p.row_key)`,
  ]
}

/**
 * The merge into an empty snapshot (a sync's first run, or one after every record was removed):
 * nothing to update or delete, so the latest upsert per key is inserted straight from the log,
 * without first deleting the older records of the log. Tombstones of keys upserted again still go.
 */
function firstMergeStatements(snapshot: string, pending: string, tombstones: string): string[] {
  return [
    ...tombstoneMergeStatements(tombstones, snapshot, pending),
    `insert into ${snapshot} (row_key, row_hash, synced_at, created) select p.row_key, p.row_hash, p.synced_at, p.created from ${pending} p
      where p.op = 'upsert' and not exists (select 1 from ${pending} newer where newer.row_key = p.row_key and newer.seq > p.seq)`,
  ]
}

/**
 * Keys of events whose send was under way when a run stopped (an intent without a confirmed
 * hash), and that no rejection reports yet: they may or may not have reached the destination, so
 * they are never sent again, and the runner reports them once for a person to check.
 */
export async function listUnreportedIntents(adapter: WarehouseAdapter, schema: string, sync: string, limit = 10_000): Promise<string[]> {
  const { dialect } = adapter
  const { snapshot } = syncTables(dialect, schema, sync)
  const { rows } = await adapter.run({
    sql: `select row_key from ${snapshot} s where s.row_hash is null and not exists
      (select 1 from ${stateTables(dialect, schema).rejectedRows} r where r.sync = ? and r.row_key = s.row_key) limit ${Math.trunc(limit)}`,
    params: [sync],
  })
  return rows.map((row) => textField(row, 'row_key') ?? '')
}
