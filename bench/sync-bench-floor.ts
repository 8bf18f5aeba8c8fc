import { Agent, request } from 'undici'

import { EMULATOR_DEFAULT_CREDENTIALS } from '../providers/emulators.js'
import { BRAZE_DELIVER_CONCURRENCY, BRAZE_TRACK_BATCH_SIZE } from '../providers/braze/braze-limits.js'
import { PAGE_ROWS } from '../src/engine/open-run.js'
import { TaskPool } from '../src/engine/task-pool.js'
import { createDuckdbAdapter } from '../src/warehouse/duckdb/duckdb-adapter.js'
import { textField } from '../src/warehouse/row-field.js'
import { measured } from './sync-bench-measure.js'
import type { PhaseReport } from './sync-bench-phases.js'
import { MODEL_SCHEMA, warehousePath, type BenchWorkspace } from './sync-bench-workspace.js'

/**
 * The floor of the peer figure: the least a sender in Node can do to create the model's users in
 * Braze. It reads the model through the same DuckDB adapter, makes each row an attributes object
 * (the user id as `external_id`, dates as ISO text; `_update_existing_only` for `update`), and
 * posts them 75 a request at the connector's concurrency, checking only that each answer is a
 * 201. No spec, mapping, checks, diff, state, retries or telemetry: no sync, Outflow's or
 * another, can go below this time on the machine, with this driver, against this emulator, so it
 * bounds what the peer figure can show.
 */
export async function sendBare(workspace: BenchWorkspace, url: string): Promise<PhaseReport> {
  const endpoint = `${url.replace(/\/+$/, '')}/users/track`
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey}` }
  const updateOnly = workspace.brazeBehavior === 'update'
  const dispatcher = new Agent({ connections: BRAZE_DELIVER_CONCURRENCY })
  try {
    const run = await measured(async () => {
      const adapter = await createDuckdbAdapter({ path: warehousePath(workspace), memoryLimit: workspace.memoryLimit })
      const sent = { records: 0, requests: 0 }
      const post = async (attributes: Record<string, unknown>[]) => {
        const response = await request(endpoint, { method: 'POST', headers, body: JSON.stringify({ attributes }), dispatcher })
        await response.body.text()
        if (response.statusCode !== 201) throw new Error(`POST /users/track answered ${response.statusCode}`)
        sent.records += attributes.length
        sent.requests++
      }
      const pool = new TaskPool(BRAZE_DELIVER_CONCURRENCY)
      try {
        let batch: Record<string, unknown>[] = []
        for await (const page of adapter.stream({ sql: `select * from ${MODEL_SCHEMA}.users` }, PAGE_ROWS)) {
          for (const row of page) {
            const object: Record<string, unknown> = { external_id: textField(row, 'user_id') }
            for (const column in row) {
              const value = row[column]
              if (column !== 'user_id') object[column] = value instanceof Date ? value.toISOString() : value
            }
            if (updateOnly) object['_update_existing_only'] = true
            batch.push(object)
            if (batch.length === BRAZE_TRACK_BATCH_SIZE) {
              const full = batch
              batch = []
              await pool.submit(() => post(full))
            }
          }
        }
        if (batch.length > 0) await pool.submit(() => post(batch))
        await pool.drain()
      } finally {
        await adapter.close()
      }
      return sent
    })
    const { value, ...measure } = run
    return { ...measure, delivered: value.records, deliveries: value.requests, retries: 0, records: value.records }
  } finally {
    await dispatcher.close()
  }
}
