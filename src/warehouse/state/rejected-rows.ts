import type { WarehouseAdapter, WarehouseReader } from '../warehouse-adapter.js'
import { numberField, textField } from '../row-field.js'
import { stateTables } from './state-tables.js'

/** A row refused before or by the destination, with the reason, as users see it in `outflow rejected`. */
export interface Rejection {
  /** The row's key; empty for rows whose key is null. */
  key: string
  reason: string
}

/** A rejection as recorded, with how often the row was tried. */
export interface RejectedRow extends Rejection {
  attempts: number
  firstSeen: Date
  lastSeen: Date
  runId: string | undefined
}

const CHUNK = 500

/**
 * Records rejections of a run: a new row starts at one attempt, a known one counts up and takes
 * the latest reason. Update, then insert what is absent, in one transaction, with plain SQL that
 * every engine runs the same way.
 */
export async function recordRejected(
  adapter: WarehouseAdapter,
  schema: string,
  sync: string,
  runId: string,
  rejections: readonly Rejection[],
): Promise<void> {
  if (rejections.length === 0) return
  const { dialect } = adapter
  const table = stateTables(dialect, schema).rejectedRows
  await adapter.transaction(async (tx) => {
    for (let start = 0; start < rejections.length; start += CHUNK) {
      const chunk = rejections.slice(start, start + CHUNK)
      const values = `(values ${chunk.map(() => '(?, ?)').join(', ')}) as v(row_key, reason)`
      const pairs = chunk.flatMap((r) => [r.key, r.reason])
      await tx.run({
        sql: `update ${table} set attempts = attempts + 1, reason = v.reason, last_seen = ${dialect.now()}, run_id = ?
          from ${values} where ${table}.sync = ? and ${table}.row_key = v.row_key`,
        params: [runId, ...pairs, sync],
      })
      await tx.run({
        sql: `insert into ${table} (sync, row_key, reason, attempts, first_seen, last_seen, run_id)
          select ?, v.row_key, v.reason, 1, ${dialect.now()}, ${dialect.now()}, ? from ${values}
          where not exists (select 1 from ${table} r where r.sync = ? and r.row_key = v.row_key)`,
        params: [sync, runId, ...pairs, sync],
      })
    }
  })
}

/** Forgets rejections of rows that have since been accepted. */
export async function clearRejected(adapter: WarehouseAdapter, schema: string, sync: string, keys: readonly string[]): Promise<void> {
  const table = stateTables(adapter.dialect, schema).rejectedRows
  for (let start = 0; start < keys.length; start += CHUNK) {
    const chunk = keys.slice(start, start + CHUNK)
    await adapter.run({
      sql: `delete from ${table} where sync = ? and row_key in (${chunk.map(() => '?').join(', ')})`,
      params: [sync, ...chunk],
    })
  }
}

/** Which of `keys` an earlier run of the sync could not deliver (they are in its rejected rows). */
export async function readRejectedKeys(
  adapter: WarehouseReader,
  schema: string,
  sync: string,
  keys: readonly string[],
): Promise<Set<string>> {
  const table = stateTables(adapter.dialect, schema).rejectedRows
  const found = new Set<string>()
  for (let start = 0; start < keys.length; start += CHUNK) {
    const chunk = keys.slice(start, start + CHUNK)
    const { rows } = await adapter.run({
      sql: `select row_key from ${table} where sync = ? and row_key in (${chunk.map(() => '?').join(', ')})`,
      params: [sync, ...chunk],
    })
    for (const row of rows) found.add(textField(row, 'row_key') ?? '')
  }
  return found
}

/** The rejected rows of a sync, most recent first. */
export async function listRejected(adapter: WarehouseReader, schema: string, sync: string, limit = 100): Promise<RejectedRow[]> {
  const { rows } = await adapter.run({
    sql: `select * from ${stateTables(adapter.dialect, schema).rejectedRows} where sync = ? order by last_seen desc, row_key limit ${Math.trunc(limit)}`,
    params: [sync],
  })
  return rows.map((row) => ({
    key: textField(row, 'row_key') ?? '',
    reason: textField(row, 'reason') ?? '',
    attempts: numberField(row, 'attempts'),
    firstSeen: new Date(textField(row, 'first_seen') ?? 0),
    lastSeen: new Date(textField(row, 'last_seen') ?? 0),
    runId: textField(row, 'run_id'),
  }))
}

/** How many rows of a sync are rejected now. */
export async function countRejected(adapter: WarehouseReader, schema: string, sync: string): Promise<number> {
  const { rows } = await adapter.run({
    sql: `select count(*) as n from ${stateTables(adapter.dialect, schema).rejectedRows} where sync = ?`,
    params: [sync],
  })
  return rows[0] === undefined ? 0 : numberField(rows[0], 'n')
}
