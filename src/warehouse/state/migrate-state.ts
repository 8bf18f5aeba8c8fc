import type { SqlDialect } from '../sql-dialect.js'
import { sqlString } from '../sql-literal.js'
import type { WarehouseAdapter } from '../warehouse-adapter.js'
import { numberField } from '../row-field.js'
import { MIGRATIONS } from './migrations.js'
import { stateTables, type StateTables } from './state-tables.js'

/**
 * Creates the state schema and applies the migrations it lacks, each in its own transaction where
 * the engine has transactional DDL.
 * Safe to run from several runners at once: statements are idempotent and the version record is
 * inserted only when absent. Returns the versions it applied.
 */
export async function migrateState(adapter: WarehouseAdapter, schema: string): Promise<number[]> {
  const { dialect } = adapter
  const tables = stateTables(dialect, schema)
  await adapter.run({ sql: `create schema if not exists ${schema}` })
  await adapter.run({
    sql: `create table if not exists ${tables.migrations} (version ${dialect.types.integer} primary key, name ${dialect.types.text} not null, applied_at ${dialect.types.timestamp} not null)`,
  })
  const applied = new Set(
    (await adapter.run({ sql: `select version from ${tables.migrations}` })).rows.map((r) => numberField(r, 'version')),
  )
  const done: number[] = []
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue
    const statements = [...migration.statements(dialect, tables), recordVersion(dialect, tables, migration.version, migration.name)]
    if (dialect.transactionalDdl) {
      await adapter.transaction(async (tx) => {
        for (const sql of statements) await tx.run({ sql })
      })
    } else {
      for (const sql of statements) await adapter.run({ sql })
    }
    done.push(migration.version)
  }
  return done
}

function recordVersion(dialect: SqlDialect, tables: StateTables, version: number, name: string): string {
  const select = `select ${version} as version, ${sqlString(name)} as name, ${dialect.now()} as applied_at`
  return dialect.insertIfAbsent(tables.migrations, ['version'], ['version', 'name', 'applied_at'], select)
}
