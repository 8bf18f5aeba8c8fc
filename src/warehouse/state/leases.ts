import { isOutflowError } from '../../errors.js'
import type { WarehouseAdapter } from '../warehouse-adapter.js'
import { textField } from '../row-field.js'
import { stateTables } from './state-tables.js'

/** Who holds a sync's lease, and until when. */
export interface LeaseInfo {
  holder: string
  expiresAt: Date
}

/**
 * Takes the lease of a sync for `holder` for `ttlMs`, unless another holder has it and it has not
 * expired. One conditional UPDATE on a row per sync: the database serialises concurrent updates of
 * a row (PostgreSQL and Snowflake wait, DuckDB reports a conflict), so exactly one runner wins,
 * across processes and machines. The database's clock decides expiry, not the runners'.
 */
export async function acquireLease(
  adapter: WarehouseAdapter,
  schema: string,
  sync: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const { dialect } = adapter
  const { leases } = stateTables(dialect, schema)
  const t = dialect.types
  await adapter.run({
    sql: dialect.insertIfAbsent(
      leases,
      ['sync'],
      ['sync', 'holder', 'acquired_at', 'expires_at'],
      `select ? as sync, cast(null as ${t.text}) as holder, cast(null as ${t.timestamp}) as acquired_at, cast(null as ${t.timestamp}) as expires_at`,
    ),
    params: [sync],
  })
  return updateLease(adapter, {
    sql: `update ${leases} set holder = ?, acquired_at = ${dialect.now()}, expires_at = ${dialect.nowPlusMilliseconds('?')}
      where sync = ? and (holder is null or expires_at is null or expires_at < ${dialect.now()} or holder = ?)`,
    params: [holder, ttlMs, sync, holder],
  })
}

/** Extends a held lease; false when it was lost (expired and taken by another runner). */
export async function renewLease(adapter: WarehouseAdapter, schema: string, sync: string, holder: string, ttlMs: number): Promise<boolean> {
  const { dialect } = adapter
  return updateLease(adapter, {
    sql: `update ${stateTables(dialect, schema).leases} set expires_at = ${dialect.nowPlusMilliseconds('?')} where sync = ? and holder = ?`,
    params: [ttlMs, sync, holder],
  })
}

/** Gives the lease up, if `holder` still has it. */
export async function releaseLease(adapter: WarehouseAdapter, schema: string, sync: string, holder: string): Promise<void> {
  await adapter.run({
    sql: `update ${stateTables(adapter.dialect, schema).leases} set holder = null, expires_at = null where sync = ? and holder = ?`,
    params: [sync, holder],
  })
}

/** The current holder of a sync's lease, if any and not expired. */
export async function readLease(adapter: WarehouseAdapter, schema: string, sync: string): Promise<LeaseInfo | undefined> {
  const { dialect } = adapter
  const { rows } = await adapter.run({
    sql: `select holder, expires_at from ${stateTables(dialect, schema).leases} where sync = ? and holder is not null and expires_at >= ${dialect.now()}`,
    params: [sync],
  })
  const holder = rows[0] === undefined ? undefined : textField(rows[0], 'holder')
  const expires = rows[0] === undefined ? undefined : textField(rows[0], 'expires_at')
  return holder === undefined || expires === undefined ? undefined : { holder, expiresAt: new Date(expires) }
}

async function updateLease(adapter: WarehouseAdapter, statement: { sql: string; params: unknown[] }): Promise<boolean> {
  try {
    return (await adapter.run(statement)).rowsAffected > 0
  } catch (error) {
    // Another runner updated the row at the same moment and won.
    if (isOutflowError(error) && error.code === 'WAREHOUSE_CONFLICT') return false
    throw error
  }
}
