import type { SqlDialect } from '../sql-dialect.js'

/** The shared state tables, qualified for a dialect and state schema. */
export interface StateTables {
  schema: string
  migrations: string
  specs: string
  runs: string
  rejectedRows: string
  leases: string
  snapshots: string
}

/**
 * The tables of one sync: its snapshot, its log of accepted rows not yet merged, its last delta and
 * change set, the change set numbered in pages when a run is spread over workers, and the keys a
 * run given keys sends (while it computes its change set).
 */
export interface SyncTables {
  snapshot: string
  pending: string
  delta: string
  changes: string
  pages: string
  keys: string
}

/** Names of the shared state tables. */
export function stateTables(dialect: SqlDialect, schema: string): StateTables {
  const t = (name: string) => dialect.stateTable(schema, name)
  return {
    schema,
    migrations: t('migrations'),
    specs: t('specs'),
    runs: t('runs'),
    rejectedRows: t('rejected_rows'),
    leases: t('leases'),
    snapshots: t('snapshots'),
  }
}

/**
 * Names of a sync's own tables. Sync names are lowercase letters, digits and hyphens, so turning
 * hyphens into underscores gives a distinct, unquoted identifier for each.
 */
export function syncTables(dialect: SqlDialect, schema: string, sync: string): SyncTables {
  const names = syncTableNames(sync)
  return {
    snapshot: dialect.stateTable(schema, names.snapshot),
    pending: dialect.stateTable(schema, names.pending),
    delta: dialect.stateTable(schema, names.delta),
    changes: dialect.stateTable(schema, names.changes),
    pages: dialect.stateTable(schema, names.pages),
    keys: dialect.stateTable(schema, names.keys),
  }
}

/** The unqualified, lower-case names of a sync's own tables (`snapshot__<sync>`, …), as a catalog lists them. */
export function syncTableNames(sync: string): SyncTables {
  const slug = sync.replaceAll('-', '_')
  return {
    snapshot: `snapshot__${slug}`,
    pending: `pending__${slug}`,
    delta: `delta__${slug}`,
    changes: `changes__${slug}`,
    pages: `pages__${slug}`,
    keys: `keys__${slug}`,
  }
}
