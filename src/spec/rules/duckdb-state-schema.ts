import { basename, extname } from 'node:path'

import type { SpecRule } from './rule.js'

/**
 * DuckDB names a database after its file, so a file `outflow.duckdb` and the state schema
 * `outflow` would make every `outflow.x` reference ambiguous, and DuckDB refuses such queries.
 */
export const duckdbStateSchema: SpecRule = {
  name: 'duckdb-state-schema',
  reads: ['/spec/path', '/spec/stateSchema'],
  *check(context) {
    for (const { spec, document } of context.sources) {
      const connection = spec.connection
      if (connection.type !== 'duckdb' || connection.path === ':memory:' || connection.path === undefined) continue
      const catalog = basename(connection.path, extname(connection.path))
      if (catalog.toLowerCase() === connection.stateSchema.toLowerCase()) {
        const message = `the database file is named like the state schema "${connection.stateSchema}", which DuckDB cannot tell apart: rename the file or set \`stateSchema\``
        yield { document, pointer: '/spec/path', message }
      }
    }
  },
}
