import { OutflowError } from '../../errors.js'
import { subquery } from '../subquery.js'
import type { ColumnInfo } from '../warehouse-adapter.js'
import type { PgQueryable } from './postgres-client.js'

/** SQLSTATE `syntax_error`: how PostgreSQL refuses a prepared statement holding several commands, among other syntax errors. */
const SYNTAX_ERROR = '42601'

/**
 * The columns of a query, asked through the extended query protocol: PostgreSQL parses it as one
 * prepared statement, and refuses text holding several ("cannot insert multiple commands into a
 * prepared statement") before running any of it. The simple protocol would run them all. `limit 0`
 * reads no row.
 */
export async function describePostgresQuery(target: PgQueryable, query: string): Promise<ColumnInfo[]> {
  try {
    const { fields } = await target.query({ text: `select * from ${subquery(query, 'described')} limit 0`, queryMode: 'extended' })
    return fields.map((f) => ({ name: f.name, type: `oid:${f.dataTypeID}` }))
  } catch (error) {
    if ((error as { code?: unknown }).code !== SYNTAX_ERROR) throw error
    const detail = error instanceof Error ? error.message : String(error)
    throw new OutflowError('MODEL_INVALID', `the query is not exactly one SQL statement PostgreSQL can read: ${detail}`, { cause: error })
  }
}
