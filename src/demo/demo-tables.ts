import type { WarehouseAdapter, WarehouseExecutor } from '../warehouse/warehouse-adapter.js'
import type { DemoEvent, DemoUser } from './demo-rows.js'

/**
 * Rows per `INSERT`: a few thousand parameters per statement, well under PostgreSQL's 65,535 and
 * few enough statements that seeding stays fast.
 */
const INSERT_CHUNK_ROWS = 200

export const USER_COLUMNS = [
  'user_id',
  'email',
  'first_name',
  'last_name',
  'plan',
  'country',
  'signed_up_at',
  'lifetime_value',
  'is_subscribed',
  'locale',
] as const

export const EVENT_COLUMNS = ['event_id', 'user_id', 'event_name', 'occurred_at', 'plan', 'amount'] as const

/**
 * Drops and recreates `users` and `events`. Plain `timestamp` (UTC by convention, as in most
 * warehouses) renders the same text whatever the session time zone, so row hashes stay put.
 * DDL runs outside any transaction, since Snowflake commits one before DDL anyway.
 */
export async function createDemoTables(adapter: WarehouseAdapter): Promise<void> {
  const { text, boolean } = adapter.dialect.types
  await adapter.run({ sql: 'drop table if exists users' })
  await adapter.run({ sql: 'drop table if exists events' })
  await adapter.run({
    sql: `create table users (user_id ${text} not null, email ${text}, first_name ${text}, last_name ${text}, plan ${text},
      country ${text}, signed_up_at timestamp, lifetime_value decimal(12,2), is_subscribed ${boolean}, locale ${text})`,
  })
  await adapter.run({
    sql: `create table events (event_id ${text} not null, user_id ${text} not null, event_name ${text}, occurred_at timestamp,
      plan ${text}, amount decimal(10,2))`,
  })
}

/** Inserts users, in chunks of parameterised rows. */
export async function insertUsers(executor: WarehouseExecutor, users: readonly DemoUser[]): Promise<void> {
  const row = '(?, ?, ?, ?, ?, ?, cast(? as timestamp), cast(? as decimal(12,2)), ?, ?)'
  await insertChunks(executor, 'users', USER_COLUMNS, row, users, (user) => [
    user.userId,
    user.email,
    user.firstName,
    user.lastName,
    user.plan,
    user.country,
    formatTimestamp(user.signedUpAt),
    formatCents(user.lifetimeValueCents),
    user.isSubscribed,
    user.locale,
  ])
}

/** Inserts events, in chunks of parameterised rows. */
export async function insertEvents(executor: WarehouseExecutor, events: readonly DemoEvent[]): Promise<void> {
  const row = '(?, ?, ?, cast(? as timestamp), ?, cast(? as decimal(10,2)))'
  await insertChunks(executor, 'events', EVENT_COLUMNS, row, events, (event) => [
    event.eventId,
    event.userId,
    event.eventName,
    formatTimestamp(event.occurredAt),
    event.plan,
    event.amountCents === null ? null : formatCents(event.amountCents),
  ])
}

async function insertChunks<T>(
  executor: WarehouseExecutor,
  table: string,
  columns: readonly string[],
  row: string,
  items: readonly T[],
  values: (item: T) => unknown[],
): Promise<void> {
  for (let start = 0; start < items.length; start += INSERT_CHUNK_ROWS) {
    const chunk = items.slice(start, start + INSERT_CHUNK_ROWS)
    await executor.run({
      sql: `insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => row).join(', ')}`,
      params: chunk.flatMap(values),
    })
  }
}

/** `2025-06-30 14:05:09`: a literal every engine casts to `timestamp` alike (UTC wall time). */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')
}

/** `1234` → `12.34`: exact text for a decimal, rather than a binary float. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
