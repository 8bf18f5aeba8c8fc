import type { ReadOnlySession } from '../read-only-session.js'
import { columnsOf, execute, streamOn, type SfConnection } from './snowflake-connection.js'
import { describeSnowflakeQuery } from './snowflake-describe.js'
import { snowflakeDialect } from './snowflake-dialect.js'

/**
 * Runs `fn` in a Snowflake session of its own (a connection `open`s), whose scratch tables are
 * temporary tables in the session's schema: creating them takes CREATE TABLE there, as Snowflake
 * has no right for temporary tables alone. The connection is closed at the end, which drops
 * them, rather than kept for reuse.
 */
export async function runSnowflakeReadOnlySession<T>(
  open: () => Promise<SfConnection>,
  fn: (session: ReadOnlySession) => Promise<T>,
): Promise<T> {
  const connection = await open()
  const made = new Set<string>()
  try {
    return await fn({
      dialect: snowflakeDialect,
      run: (statement) => execute(connection, statement),
      stream: (statement, batchSize) => streamOn(connection, statement, batchSize),
      describe: (query) => describeSnowflakeQuery((sql, parameters) => columnsOf(connection, sql, parameters), query),
      createScratchTable: async (name, select) => {
        // Replace only a table this session made: `or replace` on a name the session has not used
        // could reach a permanent table of that name in the schema.
        await execute(connection, { sql: `create ${made.has(name) ? 'or replace ' : ''}temporary table ${name} as ${select}` })
        made.add(name)
        return name
      },
    })
  } finally {
    await new Promise<void>((resolve) => connection.destroy(() => resolve()))
  }
}
