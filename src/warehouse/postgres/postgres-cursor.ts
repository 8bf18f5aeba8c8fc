import { normalizeRow } from '../normalize-value.js'
import type { Row, Statement } from '../warehouse-adapter.js'
import type { PgClient } from './postgres-client.js'
import { bindStatement } from './postgres-query.js'

/**
 * Streams a query's rows through a server-side cursor on `client`, `batchSize` at a time. The
 * client must be in a transaction, which the cursor lives in; the cursor is closed when the
 * stream ends, early or not.
 */
export async function* streamCursor(client: PgClient, statement: Statement, batchSize: number, name: string): AsyncIterable<Row[]> {
  const { sql, values } = bindStatement(statement)
  await client.query(`declare ${name} no scroll cursor for ${sql}`, values)
  try {
    for (;;) {
      const { rows } = await client.query(`fetch forward ${Math.max(1, Math.trunc(batchSize))} from ${name}`)
      if (rows.length === 0) break
      yield rows.map(normalizeRow)
    }
  } finally {
    // Fails only in a transaction that already failed, whose end closes the cursor anyway.
    await client.query(`close ${name}`).catch(() => undefined)
  }
}
