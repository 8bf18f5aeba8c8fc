import type { ReadOnlySession } from '../read-only-session.js'
import type { PgPool } from './postgres-client.js'
import { streamCursor } from './postgres-cursor.js'
import { describePostgresQuery } from './postgres-describe.js'
import { postgresDialect } from './postgres-dialect.js'
import { runOn } from './postgres-query.js'

/**
 * Runs `fn` on one connection, in one transaction that is always rolled back: whatever ran in it,
 * nothing persists. Scratch tables are temporary tables, made in that transaction and gone with
 * it; they need the database's TEMPORARY privilege, which PostgreSQL grants to everyone by default.
 * Repeatable read gives every statement of the session (the diff, its counts, its cursors) one
 * snapshot of the warehouse. Read write, because temporary tables need it, even where the
 * server defaults to read-only transactions.
 */
export async function runPostgresReadOnlySession<T>(pool: PgPool, fn: (session: ReadOnlySession) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let cursors = 0
  try {
    await client.query('begin isolation level repeatable read, read write')
    return await fn({
      dialect: postgresDialect,
      run: (statement) => runOn(client, statement),
      stream: (statement, batchSize) => streamCursor(client, statement, batchSize, `outflow_cursor_${++cursors}`),
      describe: (query) => describePostgresQuery(client, query),
      createScratchTable: async (name, select) => {
        await client.query(`drop table if exists pg_temp.${name}`)
        await client.query(`create temporary table ${name} as ${select}`)
        return `pg_temp.${name}`
      },
    })
  } finally {
    const rolledBack = await client.query('rollback').then(
      () => true,
      () => false,
    )
    client.release(!rolledBack)
  }
}
