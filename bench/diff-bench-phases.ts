import { join } from 'node:path'

import { normalizeSync } from '../src/spec/normalize.js'
import type { SyncSpec } from '../src/model/spec-types.js'
import { computeDiff, type ChangeSet } from '../src/warehouse/diff/compute-diff.js'
import { renderHashScanSql } from '../src/warehouse/diff/diff-sql.js'
import { createDuckdbAdapter } from '../src/warehouse/duckdb/duckdb-adapter.js'
import { createPostgresAdapter } from '../src/warehouse/postgres/postgres-adapter.js'
import { withRuntime } from '../src/warehouse/runtime-adapter.js'
import { migrateState } from '../src/warehouse/state/migrate-state.js'
import { applyPending } from '../src/warehouse/state/snapshot.js'
import { syncTables } from '../src/warehouse/state/state-tables.js'
import type { WarehouseAdapter } from '../src/warehouse/warehouse-adapter.js'
import { churnSql, modelSql } from './diff-bench-data.js'
import { median, round } from './sync-bench-figures.js'

/** What the diff benchmark runs on. */
export interface BenchOptions {
  rows: number
  source: 'duckdb' | 'postgres'
  memoryLimit: string
  repeat: number
  /** Holds the DuckDB file between the setup and measure processes. */
  dir: string
}

const SCHEMA = 'bench'
const log = (message: string) => process.stderr.write(`bench:diff ${message}\n`)

/** Builds the model, syncs it once (every row accepted, as after a completed initial sync), and changes 1%. */
export async function setUpDiffBench(options: BenchOptions): Promise<void> {
  const warehouse = await open(options)
  try {
    log(`building a ${options.rows}-row model on ${options.source}`)
    await warehouse.run({ sql: `drop schema if exists ${SCHEMA} cascade` })
    await warehouse.run({ sql: `create schema ${SCHEMA}` })
    await warehouse.run({ sql: modelSql(options.source, SCHEMA, options.rows) })
    await migrateState(warehouse, SCHEMA)
    log('initial sync (every row accepted)')
    const initial = await computeDiff(warehouse, SCHEMA, benchSync())
    const tables = syncTables(warehouse.dialect, SCHEMA, benchSync().name)
    await warehouse.run({
      sql: `insert into ${tables.pending} (seq, row_key, row_hash, op, synced_at, run_id, created)
        select 1, __key, ${warehouse.dialect.hashFromText('__hash')}, 'upsert', ${warehouse.dialect.now()}, 'bench', true from ${tables.changes} where __op = 'added'`,
    })
    await applyPending(warehouse, SCHEMA, benchSync().name, initial.specHash)
    log('changing 1% of the model')
    for (const sql of churnSql(options.source, SCHEMA, options.rows)) await warehouse.run({ sql })
  } finally {
    await warehouse.close()
  }
}

/** Times one hashing scan and the diff, alternately, `repeat` times; reports the medians. */
export async function measureDiff(options: BenchOptions): Promise<Record<string, unknown>> {
  const warehouse = await open(options)
  // The JS heap, sampled: rows stream through Node in batches, so it must not grow with the model.
  let peakHeap = 0
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20)
  try {
    const sync = benchSync()
    let changes: ChangeSet = await computeDiff(warehouse, SCHEMA, sync) // warm-up: caches, statistics
    const scanSql = renderHashScanSql(changes.plan, warehouse.dialect)
    const scans: number[] = []
    const diffs: number[] = []
    for (let i = 0; i < options.repeat; i++) {
      log(`round ${i + 1}: one hashing scan, then the diff`)
      scans.push(await timed(() => warehouse.run({ sql: scanSql })))
      diffs.push(await timed(async () => (changes = await computeDiff(warehouse, SCHEMA, sync))))
    }
    let streamed = 0
    const streamSeconds = await timed(async () => {
      for await (const batch of changes.rows(1000)) streamed += batch.length
    })
    const [scanSeconds, diffSeconds] = [median(scans), median(diffs)]
    return {
      rows: options.rows,
      source: options.source,
      diffSeconds: round(diffSeconds),
      scanSeconds: round(scanSeconds),
      ratio: round(diffSeconds / scanSeconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      peakHeapMb: Math.round(peakHeap / 1e6),
      rounds: options.repeat,
      changes: changes.counts,
      streamedRows: streamed,
      streamSeconds: round(streamSeconds),
    }
  } finally {
    clearInterval(sampler)
    await warehouse.close()
  }
}

function benchSync(): SyncSpec {
  return normalizeSync(
    {
      apiVersion: 'outflow/v1',
      kind: 'Sync',
      metadata: { name: 'bench-users' },
      spec: {
        source: 'bench',
        model: { table: `${SCHEMA}.users` },
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
}

async function open(options: BenchOptions): Promise<WarehouseAdapter> {
  if (options.source === 'duckdb') {
    return withRuntime(
      await createDuckdbAdapter({ path: join(options.dir, 'bench-warehouse.duckdb'), memoryLimit: options.memoryLimit }),
      'bench',
    )
  }
  const url = process.env['OUTFLOW_BENCH_POSTGRES_URL'] ?? process.env['OUTFLOW_TEST_POSTGRES_URL']
  if (url === undefined) throw new Error('--source postgres needs OUTFLOW_BENCH_POSTGRES_URL (or OUTFLOW_TEST_POSTGRES_URL)')
  return withRuntime(await createPostgresAdapter({ url }), 'bench')
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return (performance.now() - started) / 1000
}
