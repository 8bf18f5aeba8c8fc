import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import pg from 'pg'

import { EMULATOR_DEFAULT_CREDENTIALS } from '../providers/emulators.js'
import { CliProcess, waitUntil } from '../test/engine/helpers/cli-process.js'
import { modelSql } from './diff-bench-data.js'
import { startEmulatorProcess } from './sync-bench-emulator-process.js'
import { atRateFields, DELIVERY_OPERATIONS, type FigureLine } from './sync-bench-figures.js'
import type { PhaseReport } from './sync-bench-phases.js'

/*
 * The scale-out figure: an initial sync that creates `rows` Braze users, run by `workers` worker
 * processes (`outflow worker`) through the Temporal dev server, against the emulator's
 * `/users/track` limit of `rate` requests a second. The model and the state are in PostgreSQL,
 * which every worker reaches. The destination declares the emulator's limit
 * (`maxRequestsPerSecond`): the engine's task-queue rate must hold it across the workers.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Options of the workers figure. */
export interface WorkersFigureOptions {
  rows: number
  rate: number
  workers: number
  dir: string
  log: (text: string) => void
}

/** Runs the figure and returns its line. */
export async function workersFigure(options: WorkersFigureOptions): Promise<FigureLine> {
  const { rows, rate, workers, dir, log } = options
  const postgresUrl = process.env['OUTFLOW_BENCH_POSTGRES_URL'] ?? startService('start-postgres.sh')
  const temporalAddress = process.env['OUTFLOW_BENCH_TEMPORAL_ADDRESS'] ?? startService('start-temporal.sh')
  const database = await freshDatabase(postgresUrl, 'outflow_bench_workers')
  log(`workers: building ${rows} users in PostgreSQL`)
  await withClient(database, async (client) => {
    await client.query('create schema bench')
    await client.query(modelSql('postgres', 'bench', rows))
  })
  const emulator = await startEmulatorProcess('braze', { rateLimits: { usersTrack: { limit: rate, windowMs: 1000 } } })
  const taskQueue = `outflow-bench-${process.pid}`
  const specs = join(dir, 'workers-specs')
  await writeSpecs(specs, emulator.url, rate)
  const env = {
    BENCH_PG_URL: database,
    BENCH_BRAZE_KEY: EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey,
  }
  const temporalArgs = ['--temporal-address', temporalAddress, '--task-queue', taskQueue]
  const fleet = Array.from({ length: workers }, () => CliProcess.start(['worker', '--dir', specs, ...temporalArgs], env))
  try {
    for (const worker of fleet)
      await waitUntil(() => worker.stdout.includes('delivering for destination'), 'a worker to start', worker, 60_000)
    log(`workers: ${workers} workers ready; creating ${rows} users at ${rate} requests/s x 75`)
    await emulator.report()
    const started = performance.now()
    const run = await CliProcess.run(['run', '--from-dir', specs, ...temporalArgs, '--json'], env)
    const seconds = (performance.now() - started) / 1000
    if (run.code !== 0) throw new Error(`the run failed (${String(run.code)}):\n${run.stdout}${run.stderr}`)
    const [result] = (
      JSON.parse(run.stdout) as { results: { counts: { synced: number }; deliveries: number; retries: number; diffMs: number }[] }
    ).results
    if (result === undefined) throw new Error('the run reported no result')
    const exchanges = await emulator.report()
    const pages = fleet.map((w) => w.stdout.split('\n').filter((line) => line.includes('delivered page')).length)
    const report: PhaseReport = {
      seconds,
      peakRssMb: 0,
      peakHeapMb: 0,
      delivered: result.counts.synced,
      deliveries: result.deliveries,
      retries: result.retries,
      diffSeconds: result.diffMs / 1000,
    }
    return {
      figure: 'workers_upsert_at_rate_limit',
      workers,
      ...atRateFields(DELIVERY_OPERATIONS['braze'] ?? [], 75, rows, rate, report, exchanges),
      // The runs happen in the workers: the client's memory says nothing.
      peak_rss_mb: undefined,
      heap_mb: undefined,
      pages_per_worker: pages,
    }
  } finally {
    await Promise.all(fleet.map((w) => (w.child.kill('SIGTERM'), w.exited)))
    await emulator.stop()
  }
}

async function writeSpecs(specs: string, url: string, rate: number): Promise<void> {
  await mkdir(specs, { recursive: true })
  const doc = (kind: string, name: string, spec: string) =>
    `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`
  await writeFile(join(specs, 'warehouse.yaml'), doc('Source', 'warehouse', '{ type: postgres, url: { env: BENCH_PG_URL } }'))
  await writeFile(
    join(specs, 'braze.yaml'),
    doc(
      'Destination',
      'braze',
      `{ type: braze, restEndpoint: '${url}', apiKey: { secret: BENCH_BRAZE_KEY }, maxRequestsPerSecond: ${rate} }`,
    ),
  )
  await writeFile(
    join(specs, 'users.yaml'),
    doc(
      'Sync',
      'bench-braze',
      '{ source: warehouse, model: { table: bench.users }, destination: braze, object: user, behavior: upsert, key: { column: user_id, field: external_id }, mappings: [{ allColumns: true }] }',
    ),
  )
}

/** Starts a server through the project's CI script and returns what it prints last (its URL or address). */
function startService(script: string): string {
  const out = execFileSync('bash', [join(ROOT, '.ci', script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  return out.trim().split('\n').at(-1) ?? ''
}

async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`)
    await client.query(`create database ${name}`)
  })
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}
