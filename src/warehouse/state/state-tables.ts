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

/** The tables of one sync: its snapshot, its log of accepted rows not yet merged, its last delta and change set. */
export interface SyncTables {
  snapshot: string
  pending: string
  delta: string
  changes: string
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
 * hyphens into underscores gives a distinct, unquoted identifier for each. A `scratch` prefix
 * gives the delta and change set other names (`plan_delta__…`), so that a plan computed while the
 * runner streams its own change set never overwrites it.
 */
export function syncTables(dialect: SqlDialect, schema: string, sync: string, scratch = ''): SyncTables {
  const slug = sync.replaceAll('-', '_')
  return {
    snapshot: dialect.stateTable(schema, `snapshot__${slug}`),
    pending: dialect.stateTable(schema, `pending__${slug}`),
    delta: dialect.stateTable(schema, `${scratch}delta__${slug}`),
    changes: dialect.stateTable(schema, `${scratch}changes__${slug}`),
  }
}
