import type { SqlDialect } from '../sql-dialect.js'
import type { StateTables } from './state-tables.js'

/** One schema version of the state tables. Statements must be idempotent (`if not exists`). */
export interface Migration {
  version: number
  name: string
  statements(dialect: SqlDialect, tables: StateTables): string[]
}

/** Every migration, in order. Append new ones; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'state tables',
    statements: ({ types: t }, tables) => [
      `create table if not exists ${tables.specs} (sync ${t.text} primary key, spec ${t.text} not null, spec_hash ${t.text} not null,
        registered_at ${t.timestamp} not null, updated_at ${t.timestamp} not null)`,
      `create table if not exists ${tables.runs} (run_id ${t.text} primary key, sync ${t.text} not null, status ${t.text} not null,
        started_at ${t.timestamp} not null, finished_at ${t.timestamp}, spec_hash ${t.text}, full_resync ${t.boolean},
        added ${t.bigint}, changed ${t.bigint}, removed ${t.bigint}, rejected ${t.bigint}, synced ${t.bigint}, failed ${t.bigint},
        diff_ms ${t.bigint}, error ${t.text})`,
      `create table if not exists ${tables.rejectedRows} (sync ${t.text} not null, row_key ${t.text} not null, reason ${t.text} not null,
        attempts ${t.integer} not null, first_seen ${t.timestamp} not null, last_seen ${t.timestamp} not null, run_id ${t.text},
        primary key (sync, row_key))`,
      `create table if not exists ${tables.leases} (sync ${t.text} primary key, holder ${t.text}, acquired_at ${t.timestamp},
        expires_at ${t.timestamp})`,
      `create table if not exists ${tables.snapshots} (sync ${t.text} primary key, spec_hash ${t.text}, updated_at ${t.timestamp})`,
    ],
  },
  {
    version: 2,
    name: 'runs: retried rows and events of unknown outcome',
    statements: ({ types: t }, tables) => [
      `alter table ${tables.runs} add column if not exists retried ${t.bigint}`,
      `alter table ${tables.runs} add column if not exists unknown ${t.bigint}`,
    ],
  },
  {
    version: 3,
    name: 'runs: requests, retries, 429 answers and duration',
    statements: ({ types: t }, tables) => [
      `alter table ${tables.runs} add column if not exists requests ${t.bigint}`,
      `alter table ${tables.runs} add column if not exists retries ${t.bigint}`,
      `alter table ${tables.runs} add column if not exists rate_limited ${t.bigint}`,
      `alter table ${tables.runs} add column if not exists duration_ms ${t.bigint}`,
    ],
  },
]
