import { staleRowHash, type Resend } from '../diff/resend.js'
import type { WarehouseAdapter } from '../warehouse-adapter.js'
import { syncTables } from './state-tables.js'

/**
 * Records that a resend is owed: the snapshot rows it sends again (every row, or those of its
 * keys) get a hash no row has, so that any later run, this one or the next after a crash, finds
 * them changed and sends them, and each one sent and accepted gets its real hash back. Event
 * intents (no hash) are left alone. Only the lease holder calls this.
 */
export async function markForResend(adapter: WarehouseAdapter, schema: string, sync: string, resend: Resend): Promise<void> {
  const { snapshot } = syncTables(adapter.dialect, schema, sync)
  const update = `update ${snapshot} set row_hash = ${staleRowHash(adapter.dialect)} where row_hash is not null`
  if (resend.kind === 'all') await adapter.run({ sql: update })
  else if (resend.keys.length > 0) {
    await adapter.run({ sql: `${update} and row_key in (${resend.keys.map(() => '?').join(', ')})`, params: resend.keys })
  }
}
