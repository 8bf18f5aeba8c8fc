import { basename, extname } from 'node:path'

import type { SpecRule } from './rule.js'

/**
 * A sync's dbt model is in its Source's manifest and builds a relation (with suggestions for a
 * name that is not); for a DuckDB file, in the database that file is.
 */
export const dbtModel: SpecRule = {
  name: 'dbt-model',
  reads: ['/spec/model', '/spec/source'],
  *check(context) {
    for (const [document, resolution] of context.dbtModels) {
      if ('problem' in resolution) yield { document, pointer: '/spec/model/dbt', message: resolution.problem }
      if (!('model' in resolution)) continue
      const { model, source } = resolution
      const connection = source.connection
      if (connection.type !== 'duckdb' || model.database === null || connection.path === undefined || connection.path === ':memory:')
        continue
      // DuckDB names a database file's catalog after the file, without its extension.
      const database = basename(connection.path, extname(connection.path))
      if (database !== model.database) {
        yield {
          document,
          pointer: '/spec/model/dbt',
          severity: 'warning',
          message: `dbt builds model "${model.name}" in database "${model.database}", but source "${source.name}" reads the DuckDB file ${basename(connection.path)} (database "${database}"): point the source at the file dbt builds into`,
        }
      }
    }
  },
}
