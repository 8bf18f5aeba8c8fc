import { textField } from '../row-field.js'
import type { WarehouseReader } from '../warehouse-adapter.js'
import { stateTables, syncTables } from './state-tables.js'

/** What a run has recorded so far for a row: accepted (or deleted), only the intent of an event, or rejected. */
export type RecordedResult = 'accepted' | 'intent' | 'rejected'

/** Keys per statement: well under every engine's bound-parameter limit. */
const CHUNK = 1000

/**
 * What run `runId` already recorded for `keys` in the sync's pending log, latest record per key:
 * a page delivered again after its worker died skips the rows the first attempt recorded, and
 * never sends again an event whose intent it wrote. A key with nothing recorded is absent.
 */
export async function readRunResults(
  reader: WarehouseReader,
  schema: string,
  sync: string,
  runId: string,
  keys: readonly string[],
): Promise<Map<string, RecordedResult>> {
  const { pending } = syncTables(reader.dialect, schema, sync)
  const { rejectedRows } = stateTables(reader.dialect, schema)
  const found = new Map<string, RecordedResult>()
  for (let start = 0; start < keys.length; start += CHUNK) {
    const chunk = keys.slice(start, start + CHUNK)
    const list = chunk.map(() => '?').join(', ')
    // Rows the run refused (the vendor's answer, or the mapping) are not sent again either; a row
    // the log holds as well was refused in an earlier try and taken since, so the log wins.
    const { rows } = await reader.run({
      sql: `select p.row_key, case when p.row_hash is null and p.op = 'upsert' then 'intent' else 'accepted' end as recorded
        from ${pending} p where p.run_id = ? and p.row_key in (${list})
        and not exists (select 1 from ${pending} n where n.row_key = p.row_key and n.seq > p.seq)
        union all
        select r.row_key, 'rejected' as recorded from ${rejectedRows} r where r.sync = ? and r.run_id = ? and r.row_key in (${list})`,
      params: [runId, ...chunk, sync, runId, ...chunk],
    })
    for (const row of rows) {
      const key = textField(row, 'row_key') ?? ''
      const recorded = textField(row, 'recorded')
      if (recorded !== 'rejected') found.set(key, recorded === 'intent' ? 'intent' : 'accepted')
      else if (!found.has(key)) found.set(key, 'rejected')
    }
  }
  return found
}
