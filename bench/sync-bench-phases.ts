import { createConnector } from '../providers/connectors.js'
import type { DestinationConnector, RateLimit } from '../src/destinations/destination.js'
import { createRequestGate } from '../src/engine/request-gate.js'
import type { RunnableSync } from '../src/engine/runnable-sync.js'
import { runSync } from '../src/engine/run-sync.js'
import { runSyncs } from '../src/engine/run-syncs.js'
import type { SyncRunResult } from '../src/engine/sync-run-result.js'
import { WarehousePool } from '../src/engine/warehouse-pool.js'
import { createDuckdbAdapter } from '../src/warehouse/duckdb/duckdb-adapter.js'
import { churnSql, modelSql } from './diff-bench-data.js'
import { measured, type Measured } from './sync-bench-measure.js'
import { sendEverything, type NaiveSend } from './sync-bench-naive.js'
import { BENCH_CREDENTIALS, loadBenchSync, MODEL_SCHEMA, STATE_SCHEMA, warehousePath, type BenchWorkspace } from './sync-bench-workspace.js'

/*
 * The phases of the sync benchmark, each run in a process of its own by sync-bench.ts: building
 * and changing the model are setup, kept out of the measured processes' peak RSS.
 */

/** What a measured phase prints: its time, memory and what the runner (or the naive sender) reports. */
export type PhaseReport = Omit<Measured<unknown>, 'value'> & {
  delivered: number
  deliveries: number
  retries: number
  counts?: SyncRunResult['counts']
  diffSeconds?: number
  /** Rows the naive sender read from the model. */
  records?: number
}

/** Builds the `bench.users` model of `rows` rows (diff-bench-data.ts), replacing any earlier one and the sync's state. */
export async function buildModel(workspace: BenchWorkspace, rows: number): Promise<void> {
  const adapter = await createDuckdbAdapter({ path: warehousePath(workspace), memoryLimit: workspace.memoryLimit })
  try {
    // A reused --dir starts over: an old snapshot would turn the initial sync into an incremental one.
    for (const schema of [MODEL_SCHEMA, STATE_SCHEMA]) await adapter.run({ sql: `drop schema if exists ${schema} cascade` })
    await adapter.run({ sql: `create schema ${MODEL_SCHEMA}` })
    await adapter.run({ sql: modelSql('duckdb', MODEL_SCHEMA, rows) })
  } finally {
    await adapter.close()
  }
}

/** Changes 1% of the model: 0.4% of rows updated, 0.3% deleted, 0.3% inserted. */
export async function churnModel(workspace: BenchWorkspace, rows: number): Promise<void> {
  const adapter = await createDuckdbAdapter({ path: warehousePath(workspace), memoryLimit: workspace.memoryLimit })
  try {
    for (const sql of churnSql('duckdb', MODEL_SCHEMA, rows)) await adapter.run({ sql })
  } finally {
    await adapter.close()
  }
}

/** One run of the sync by the runner, as `outflow run` does it. */
export async function runOnce(workspace: BenchWorkspace, url: string): Promise<PhaseReport> {
  const runnable = await loadBenchSync(workspace, url)
  const run = await measured(async () => (await runSyncs([runnable], { credentials: BENCH_CREDENTIALS }))[0])
  return reportRun(run)
}

/**
 * One run of the sync by the runner against a destination whose limit is `rate` requests a second,
 * for the groups the object's batches use. The connector's declared limit is replaced by that one
 * (the emulator enforces the same), so the run is `runSync` with the connection `runSyncs` would
 * open, except for the figure of the limit: the same connector code, gate and engine.
 */
export async function runAtRate(workspace: BenchWorkspace, url: string, rate: number): Promise<PhaseReport> {
  const runnable = await loadBenchSync(workspace, url)
  const warehouses = new WarehousePool(BENCH_CREDENTIALS)
  try {
    const adapter = await warehouses.get(runnable.source)
    const connector = withRateLimit(await connect(runnable), runnable.sync.object, rate)
    const gate = createRequestGate(connector.rateLimits)
    const schema = runnable.source.connection.stateSchema
    return reportRun(await measured(() => runSync({ adapter, schema, sync: runnable.sync, holder: 'bench', connector, gate })))
  } finally {
    await warehouses.closeAll()
  }
}

/** Every row of the model sent again, without the diff: the baseline of the ratios. */
export async function sendNaively(workspace: BenchWorkspace, url: string): Promise<PhaseReport> {
  const runnable = await loadBenchSync(workspace, url)
  const warehouses = new WarehousePool(BENCH_CREDENTIALS)
  try {
    const run = await measured(async (): Promise<NaiveSend> => {
      const adapter = await warehouses.get(runnable.source)
      const connector = await connect(runnable)
      return sendEverything(adapter, runnable.sync, connector, createRequestGate(connector.rateLimits))
    })
    const { value, ...measure } = run
    return { ...measure, delivered: value.accepted, deliveries: value.deliveries, retries: 0, records: value.records }
  } finally {
    await warehouses.closeAll()
  }
}

function connect(runnable: RunnableSync): Promise<DestinationConnector> {
  const { destination } = runnable
  return createConnector({ name: destination.name, connection: destination.connection, credentials: BENCH_CREDENTIALS })
}

/** The connector, declaring `rate` requests a second for the rate-limit groups that `object`'s batches use. */
function withRateLimit(connector: DestinationConnector, object: string, rate: number): DestinationConnector {
  const groups = Object.keys(connector.limits(object).requestsPerBatch)
  const rateLimits: RateLimit[] = connector.rateLimits.map((limit) =>
    groups.includes(limit.group) ? { group: limit.group, requests: rate, perMs: 1000 } : limit,
  )
  // Delegation, not a spread: connectors keep their settings in private fields.
  return {
    catalog: connector.catalog,
    rateLimits,
    limits: (o) => connector.limits(o),
    check: (gate) => connector.check(gate),
    prepare: (request, gate) => connector.prepare(request, gate),
    missing: (request, gate) => connector.missing(request, gate),
    deliver: (batch, gate) => connector.deliver(batch, gate),
  }
}

function reportRun(run: Measured<SyncRunResult | undefined>): PhaseReport {
  const { value: result, ...measure } = run
  if (result === undefined || result.status !== 'succeeded') {
    throw new Error(
      `the sync did not succeed: ${result === undefined ? 'no result' : `${result.status} ${JSON.stringify(result.error ?? {})}`}`,
    )
  }
  return {
    ...measure,
    delivered: result.counts.synced,
    deliveries: result.deliveries,
    retries: result.retries,
    counts: result.counts,
    diffSeconds: result.diffMs / 1000,
  }
}
