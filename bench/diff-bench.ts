/**
 * `npm run bench:diff -- --rows N [--source duckdb|postgres]`: builds an N-row, 10-column model,
 * syncs it once (the snapshot), changes 1% of it (0.4% updated, 0.3% deleted, 0.3% inserted),
 * then times the diff against one hashing scan of the model in the same run. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { normalizeSync } from '../src/spec/normalize.js'
import { computeDiff } from '../src/warehouse/diff/compute-diff.js'
import { renderHashScanSql } from '../src/warehouse/diff/diff-sql.js'
import { createDuckdbAdapter } from '../src/warehouse/duckdb/duckdb-adapter.js'
import { createPostgresAdapter } from '../src/warehouse/postgres/postgres-adapter.js'
import { withRuntime } from '../src/warehouse/runtime-adapter.js'
import { migrateState } from '../src/warehouse/state/migrate-state.js'
import { applyPending } from '../src/warehouse/state/snapshot.js'
import { syncTables } from '../src/warehouse/state/state-tables.js'
import type { WarehouseAdapter } from '../src/warehouse/warehouse-adapter.js'
import { modelSql, churnSql } from './diff-bench-data.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    source: { type: 'string', default: 'duckdb' },
    'memory-limit': { type: 'string', default: '512MB' },
    repeat: { type: 'string', default: '3' },
  },
})
const rows = Number(args.rows)
const source = args.source === 'postgres' ? 'postgres' : 'duckdb'
const schema = 'bench'
const log = (message: string) => process.stderr.write(`bench:diff ${message}\n`)

const dir = mkdtempSync(join(tmpdir(), 'outflow-bench-'))
const adapter = await open()
try {
  log(`building a ${rows}-row model on ${source}`)
  await adapter.run({ sql: `drop schema if exists ${schema} cascade` })
  await adapter.run({ sql: `create schema ${schema}` })
  await adapter.run({ sql: modelSql(source, schema, rows) })
  await migrateState(adapter, schema)
  const sync = normalizeSync(
    {
      apiVersion: 'outflow/v1',
      kind: 'Sync',
      metadata: { name: 'bench-users' },
      spec: {
        source: 'bench',
        model: { table: `${schema}.users` },
        destination: 'braze',
        object: 'user',
        behavior: 'mirror',
        key: { column: 'user_id' },
        mappings: [{ allColumns: true }],
      },
    },
    { file: 'bench', line: 1 },
    'braze',
  )
  log('initial sync (every row accepted)')
  await acceptEverything(adapter, sync)
  for (const sql of churnSql(source, schema, rows)) await adapter.run({ sql })

  const changes0 = await computeDiff(adapter, schema, sync) // warm-up: caches, statistics
  const scanSql = renderHashScanSql(changes0.plan, adapter.dialect)
  await adapter.run({ sql: scanSql })
  // Scan and diff alternate, and the medians are reported: other load on the machine then weighs on both alike.
  const scans: number[] = []
  const diffs: number[] = []
  let changes = changes0
  for (let i = 0; i < Number(args.repeat); i++) {
    log(`round ${i + 1}: one hashing scan, then the diff`)
    scans.push(await timed(() => adapter.run({ sql: scanSql })))
    diffs.push(
      await timed(async () => {
        changes = await computeDiff(adapter, schema, sync)
      }),
    )
  }
  const scanSeconds = median(scans)
  const diffSeconds = median(diffs)
  let streamed = 0
  const streamSeconds = await timed(async () => {
    for await (const batch of changes.rows(1000)) streamed += batch.length
  })
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  const round = (n: number) => Math.round(n * 1000) / 1000
  console.log(
    JSON.stringify({
      rows,
      source,
      diffSeconds: round(diffSeconds),
      scanSeconds: round(scanSeconds),
      ratio: round(diffSeconds / scanSeconds),
      rounds: scans.length,
      peakRssMb,
      changes: changes.counts,
      streamedRows: streamed,
      streamSeconds: round(streamSeconds),
    }),
  )
} finally {
  await adapter.close()
  rmSync(dir, { recursive: true, force: true })
}

async function open(): Promise<WarehouseAdapter> {
  if (source === 'duckdb') {
    return withRuntime(await createDuckdbAdapter({ path: join(dir, 'bench-warehouse.duckdb'), memoryLimit: args['memory-limit'] }), 'bench')
  }
  const url = process.env['OUTFLOW_BENCH_POSTGRES_URL'] ?? process.env['OUTFLOW_TEST_POSTGRES_URL']
  if (url === undefined) throw new Error('--source postgres needs OUTFLOW_BENCH_POSTGRES_URL (or OUTFLOW_TEST_POSTGRES_URL)')
  return withRuntime(await createPostgresAdapter({ url }), 'bench')
}

/** Marks every model row as accepted, in the warehouse: what a completed initial sync leaves behind. */
async function acceptEverything(warehouse: WarehouseAdapter, sync: ReturnType<typeof normalizeSync>): Promise<void> {
  const initial = await computeDiff(warehouse, schema, sync)
  const tables = syncTables(warehouse.dialect, schema, sync.name)
  await warehouse.run({
    sql: `insert into ${tables.pending} (seq, row_key, row_hash, op, synced_at, run_id, created)
      select 1, __key, ${warehouse.dialect.hashFromText('__hash')}, 'upsert', ${warehouse.dialect.now()}, 'bench', true from ${tables.changes} where __op = 'added'`,
  })
  await applyPending(warehouse, schema, sync.name, initial.specHash)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return (performance.now() - started) / 1000
}
