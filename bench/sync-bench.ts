/**
 * `npm run bench:sync -- [--rows 1000000] [--seconds 40] [--rate N] [--destination braze|clevertap]
 * [--figures delivery,full,peer,upsert] [--peer-rows 100000] [--peer-behavior upsert|update] [--peer-bin PATH]
 * [--repeat N] [--peer-latency-ms 0] [--workers N] [--memory-limit 512MB] [--dir D]` (`--help`
 * describes each): the runner's figures (DESIGN.md section 7), against the emulators, each in a
 * process of its own. Prints one JSON line per figure:
 *
 * - `delivery_efficiency`, for Loops contacts (one per request, 10 requests/s by default) and Braze
 *   users (75 per request, a `/users/track` limit lowered to 20 requests/s by default, so that it
 *   binds): records a second accepted in the steady state, as a share of what the limit allows,
 *   and the share of requests answered 429, over about `--seconds` of sustained delivery. `--rate`
 *   sets both limits (requests a second), in the emulator and in what the connector declares.
 * - `initial_sync`, `incremental_sync` (after a 1% change) and `naive_full_send` (every row sent
 *   again, without the diff) of an N-row model to an emulator without rate limits (Braze users by
 *   default, written with `update`: see sync-bench-workspace.ts): time, peak RSS and JS heap of the
 *   process that runs only that phase (each phase against an emulator of its own), and each time as
 *   a ratio of the naive one.
 * - `first_sync_vs_peer` (`--figures peer`): the first sync of a `--peer-rows` model (100,000 users by
 *   default) to Braze, creating every user (`--peer-behavior upsert`, the default) or updating
 *   (`update`), by Outflow and by drt (sync-bench-peer.ts, `--peer-bin`), and a naive full send of
 *   it, each against a fresh emulator without rate limits: the times, drt's over Outflow's
 *   (`speedup`), and Outflow's over the naive send's; and the floor (`floor_s`, sync-bench-floor.ts):
 *   a bare send of the same users with nothing but reading and posting, which bounds any speedup
 *   over drt on the machine (`floor_speedup`). `--peer-latency-ms` makes the emulator wait before
 *   each answer, as a vendor across a network does.
 * - `initial_upsert_at_rate_limit`: an initial sync of the N-row model that creates every Braze
 *   user (`upsert`), against a `/users/track` limit that binds (50 requests/s by default, 3,750
 *   records/s; `--rate` sets it, for the delivery figures too): records a second accepted in the
 *   steady state as a share of the limit, and in the first and the second half of the run (the
 *   emulator's store grows to N users, and its lookups must not slow down with it), the share of
 *   requests answered 429, time, and the peak RSS of the runner and of the emulator; then a
 *   sample of the users is read back.
 *
 * - With `--workers N`, only `workers_upsert_at_rate_limit`: the upsert figure run by N `outflow worker`
 *   processes through a Temporal dev server, from a PostgreSQL model (sync-bench-workers.ts;
 *   OUTFLOW_BENCH_POSTGRES_URL and OUTFLOW_BENCH_TEMPORAL_ADDRESS, or the CI scripts start both).
 *
 * Setup (building and changing the model) runs in processes of its own, as in the diff benchmark.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { EmulatorConfigs } from '../providers/emulators.js'
import { benchArgs, BenchUsageError, positiveOption, runBench } from './bench-args.js'
import { startEmulatorProcess } from './sync-bench-emulator-process.js'
import type { Exchange } from './sync-bench-emulator.js'
import {
  accepted,
  answers,
  median,
  atRateFields,
  DELIVERY_OPERATIONS,
  machineFields,
  round,
  runFields,
  spanRecordsPerSecond,
  type FigureLine,
} from './sync-bench-figures.js'
import { buildModel, churnModel, runAtRate, runOnce, sendNaively, type PhaseReport } from './sync-bench-phases.js'
import { sendBare } from './sync-bench-floor.js'
import { DEFAULT_PEER_BIN, peerMissing, runPeer, type PeerRun } from './sync-bench-peer.js'
import { readBackSample } from './sync-bench-read-back.js'
import { workersFigure } from './sync-bench-workers.js'
import { warehousePath, type BenchTarget, type BenchWorkspace } from './sync-bench-workspace.js'

/** The figures `--figures` selects from. */
const FIGURES = ['delivery', 'full', 'peer', 'upsert'] as const

const args = benchArgs('bench:sync', "the runner's figures against the emulators, one JSON line each", {
  figures: { value: 'LIST', help: 'the figures to run, comma-separated', default: FIGURES.join(',') },
  rows: { value: 'N', help: "rows of the full and upsert figures' model", default: '1000000' },
  seconds: { value: 'S', help: 'sustained delivery of the delivery figures', default: '40' },
  rate: { value: 'N', help: 'requests a second the limit allows (delivery: Loops 10, Braze 20; upsert 50)' },
  destination: { value: 'NAME', help: 'braze or clevertap: where the full figures send', default: 'braze' },
  'peer-rows': { value: 'N', help: 'users of the peer figure', default: '100000' },
  'peer-behavior': { value: 'B', help: 'upsert (create the users) or update', default: 'upsert' },
  'peer-bin': { value: 'PATH', help: "drt's executable", default: DEFAULT_PEER_BIN },
  repeat: { value: 'N', help: 'rounds of the peer figure, medians and ranges reported', default: '1' },
  'peer-latency-ms': { value: 'MS', help: 'how long the emulator waits before each answer in the peer figure', default: '0' },
  workers: { value: 'N', help: 'only the upsert figure, run by N `outflow worker` processes through Temporal' },
  'memory-limit': { value: 'SIZE', help: "DuckDB's memory limit", default: '512MB' },
  dir: { value: 'D', help: 'keep the workspace in D instead of a temporary folder' },
  // Set by this script for its own child processes.
  phase: {},
  target: {},
  url: {},
  behavior: {},
})

const log = (message: string) => process.stderr.write(`bench:sync ${message}\n`)

/** Records per request at the delivery figures' destinations: what turns a request limit into a record ceiling. */
const RECORDS_PER_REQUEST: Record<'loops' | 'braze', number> = { loops: 1, braze: 75 }

/** Loops' documented 10 requests a second; Braze's 1,000 a second lowered to 20, so that the limit binds. */
const DEFAULT_RATE: Record<'loops' | 'braze', number> = { loops: 10, braze: 20 }

/**
 * The upsert figure's `/users/track` limit, requests a second: Braze's 1,000 lowered to 50 (3,750
 * users a second), well under what one runner sends unlimited (about 165 requests a second of 75
 * users on 2 cores), so that the limit sets the pace and the figure shows whether delivery keeps
 * to it as the store grows; a million users then take about five minutes.
 */
const UPSERT_RATE = 50

/** The Braze emulator without rate limits: what the full and peer figures time the runner against. */
const BRAZE_UNLIMITED: EmulatorConfigs['braze'] = {
  rateLimits: { usersTrack: false, usersDelete: false, usersExportIds: false, default: false },
}

await runBench('bench:sync', async () => {
  if (args.phase !== undefined) {
    await runPhase(args.phase)
    return
  }
  const dir = args.dir ?? mkdtempSync(join(tmpdir(), 'outflow-sync-bench-'))
  try {
    if (args.workers !== undefined) {
      // The scale-out figure alone: its own model (PostgreSQL), emulator, Temporal server and worker processes.
      const rate = args.rate === undefined ? UPSERT_RATE : Math.round(positiveOption('--rate', args.rate))
      const workers = Math.round(positiveOption('--workers', args.workers))
      print(await workersFigure({ rows: positiveOption('--rows', args.rows), rate, workers, dir, log }))
    } else {
      const figures = new Set(args.figures.split(','))
      const unknown = [...figures].filter((figure) => !(FIGURES as readonly string[]).includes(figure))
      if (unknown.length > 0) throw new BenchUsageError(`--figures: unknown ${unknown.join(', ')}; expected some of ${FIGURES.join(', ')}`)
      // Every option is checked before the first figure runs: a wrong one found after minutes of benchmark would waste them.
      checkFigureOptions(figures)
      if (figures.has('delivery')) for (const target of ['loops', 'braze'] as const) await deliveryFigure(dir, target)
      if (figures.has('full')) await fullSyncFigures(dir)
      if (figures.has('peer')) await peerFigure(dir)
      if (figures.has('upsert')) await upsertFigure(dir)
    }
  } finally {
    if (args.dir === undefined) rmSync(dir, { recursive: true, force: true })
  }
})

/** The options the selected figures read, checked up front. */
function checkFigureOptions(figures: ReadonlySet<string>): void {
  if (args.rate !== undefined) positiveOption('--rate', args.rate)
  if (figures.has('delivery')) positiveOption('--seconds', args.seconds)
  if (figures.has('full') || figures.has('upsert')) positiveOption('--rows', args.rows)
  if (figures.has('full')) fullTarget()
  if (figures.has('peer')) {
    positiveOption('--peer-rows', args['peer-rows'])
    positiveOption('--repeat', args.repeat)
    peerBehavior()
    peerLatencyMs()
  }
}

/** Where the full figures send: `--destination`. */
function fullTarget(): 'braze' | 'clevertap' {
  const target = args.destination
  if (target !== 'braze' && target !== 'clevertap') throw new BenchUsageError(`--destination must be braze or clevertap, got "${target}"`)
  return target
}

/** How the peer figure writes users: `--peer-behavior`. */
function peerBehavior(): 'upsert' | 'update' {
  const behavior = args['peer-behavior']
  if (behavior !== 'update' && behavior !== 'upsert')
    throw new BenchUsageError(`--peer-behavior must be upsert or update, got "${behavior}"`)
  return behavior
}

/**
 * How long the peer figure's emulator waits before it answers each request: `--peer-latency-ms`.
 * On loopback a request costs only the CPU of both ends, so the figure times the senders' work;
 * a real vendor is a network away, and there a sender that waits for each answer before the next
 * request waits once per request.
 */
function peerLatencyMs(): number {
  const value = args['peer-latency-ms']
  const ms = Number(value)
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
    throw new BenchUsageError(`--peer-latency-ms must be a whole number of milliseconds from 0 to 60000, got "${value}"`)
  return ms
}

/** (a) Delivery against a binding rate limit. */
async function deliveryFigure(dir: string, target: 'loops' | 'braze'): Promise<void> {
  const rate = args.rate === undefined ? DEFAULT_RATE[target] : Math.round(positiveOption('--rate', args.rate))
  const perRequest = RECORDS_PER_REQUEST[target]
  const rows = Math.ceil(rate * positiveOption('--seconds', args.seconds) * perRequest)
  const workspace = workspaceIn(dir, `delivery-${target}`, target)
  log(`${target}: building a ${rows}-row model`)
  await phase('setup', workspace, { rows })
  const limit = { limit: rate, windowMs: 1000 }
  const config: EmulatorConfigs['loops'] | EmulatorConfigs['braze'] =
    target === 'loops' ? { rateLimit: limit } : { rateLimits: { usersTrack: limit } }
  const emulator = await startEmulatorProcess(target, config)
  try {
    log(`${target}: delivering at ${rate} requests/s x ${perRequest} records`)
    const report = await phase('delivery', workspace, { url: emulator.url, rate })
    const exchanges = await emulator.report()
    print({
      figure: 'delivery_efficiency',
      destination: target,
      ...atRateFields(DELIVERY_OPERATIONS[target] ?? [], RECORDS_PER_REQUEST[target], rows, rate, report, exchanges),
    })
  } finally {
    await emulator.stop()
  }
}

/** (d) An initial sync creating every user of the model in Braze, against a binding `/users/track` limit. */
async function upsertFigure(dir: string): Promise<void> {
  const rows = Math.round(positiveOption('--rows', args.rows))
  const rate = args.rate === undefined ? UPSERT_RATE : Math.round(positiveOption('--rate', args.rate))
  const workspace: BenchWorkspace = { ...workspaceIn(dir, 'upsert', 'braze'), brazeBehavior: 'upsert' }
  log(`braze upsert: building a ${rows}-row model`)
  await phase('setup', workspace, { rows })
  const emulator = await startEmulatorProcess('braze', { rateLimits: { usersTrack: { limit: rate, windowMs: 1000 } } })
  try {
    log(`braze upsert: creating ${rows} users at ${rate} requests/s x ${RECORDS_PER_REQUEST.braze} records`)
    const report = await phase('delivery', workspace, { url: emulator.url, rate })
    const exchanges = await emulator.report()
    const deliveries = exchanges.filter((e) => DELIVERY_OPERATIONS['braze']?.includes(e.operation)).sort((a, b) => a.at - b.at)
    // Halves by request: the store holds under half the model during the first, over half during the second.
    const half = Math.floor(deliveries.length / 2)
    const memory = await emulator.memory()
    const sample = await readBackSample(emulator.url, rows)
    print({
      figure: 'initial_upsert_at_rate_limit',
      destination: 'braze',
      behavior: 'upsert',
      ...atRateFields(DELIVERY_OPERATIONS['braze'] ?? [], RECORDS_PER_REQUEST.braze, rows, rate, report, exchanges),
      first_half_records_per_second: Math.round(spanRecordsPerSecond(deliveries.slice(0, half)) * 10) / 10,
      second_half_records_per_second: Math.round(spanRecordsPerSecond(deliveries.slice(half)) * 10) / 10,
      emulator_peak_rss_mb: memory.peakRssMb,
      emulator_heap_mb: memory.heapMb,
      read_back: sample,
    })
  } finally {
    await emulator.stop()
  }
}

/** (b) and (c): initial and 1% incremental sync of an N-row model, and a naive full send of it, in one run. */
async function fullSyncFigures(dir: string): Promise<void> {
  const target = fullTarget()
  const rows = positiveOption('--rows', args.rows)
  const workspace = workspaceIn(dir, 'full', target)
  log(`building a ${rows}-row model`)
  await phase('setup', workspace, { rows })
  const config: EmulatorConfigs['braze'] | EmulatorConfigs['clevertap'] = target === 'braze' ? BRAZE_UNLIMITED : {}
  // Each phase against an emulator process of its own: a shared one would meet the first phase cold
  // (its code not yet compiled) and the later ones warm.
  const measure = async (name: string): Promise<{ report: PhaseReport; exchanges: Exchange[] }> => {
    const emulator = await startEmulatorProcess(target, config)
    try {
      log(`${name} (${target})`)
      const report = await phase(name, workspace, { url: emulator.url })
      return { report, exchanges: await emulator.report() }
    } finally {
      await emulator.stop()
    }
  }
  const initial = await measure('initial')
  log('changing 1% of the model')
  await phase('churn', workspace, { rows })
  const incremental = await measure('incremental')
  const naive = await measure('naive')
  const line = (figure: string, run: { report: PhaseReport; exchanges: Exchange[] }, modelRows: number) =>
    print({
      figure,
      destination: target,
      ...runFields(modelRows, run.report, run.exchanges),
      efficiency: null,
      ratio: round(run.report.seconds / naive.report.seconds),
      ratio_of: 'seconds / naive_full_send seconds',
    })
  line('initial_sync', initial, rows)
  line('incremental_sync', incremental, naive.report.records ?? rows)
  line('naive_full_send', naive, naive.report.records ?? rows)
  const refused = answers([...initial.exchanges, ...incremental.exchanges, ...naive.exchanges]).share429
  if (refused > 0) log(`note: ${round(refused * 100, 2)}% of requests were answered 429 without a rate limit`)
}

/** (e) The first sync of a model to Braze by Outflow and by drt, and a naive full send of it. */
async function peerFigure(dir: string): Promise<void> {
  const rows = Math.round(positiveOption('--peer-rows', args['peer-rows']))
  const behavior = peerBehavior()
  const latencyMs = peerLatencyMs()
  const missing = peerMissing(args['peer-bin'])
  if (missing !== undefined) {
    log(`peer: skipped: ${missing}`)
    print({ figure: 'first_sync_vs_peer', destination: 'braze', behavior, rows, latency_ms: latencyMs, skipped: missing })
    return
  }
  const workspace: BenchWorkspace = { ...workspaceIn(dir, 'peer', 'braze'), brazeBehavior: behavior }
  log(`peer: building a ${rows}-row model`)
  await phase('setup', workspace, { rows })
  // drt reads a copy: its DuckDB may rewrite the file it opens in a newer storage format.
  const peerDatabase = join(workspace.dir, 'peer.duckdb')
  copyFileSync(warehousePath(workspace), peerDatabase)
  // Each against an emulator process of its own, as in the full figures. Every request waits the
  // latency: a rule with a probability has no count, and at 1 it fires on every request.
  const config: EmulatorConfigs['braze'] = { ...BRAZE_UNLIMITED, faults: [{ kind: 'delay', ms: latencyMs, probability: 1 }] }
  const against = async <T>(work: (url: string) => Promise<T>): Promise<Against<T>> => {
    const emulator = await startEmulatorProcess('braze', config)
    try {
      const value = await work(emulator.url)
      const exchanges = (await emulator.report()).filter((e) => DELIVERY_OPERATIONS['braze']?.includes(e.operation))
      const delivered = exchanges.reduce((sum, e) => sum + accepted(e), 0)
      if (delivered !== rows) throw new Error(`the emulator accepted ${delivered} of ${rows} users`)
      return { value, delivered, requests: exchanges.length }
    } finally {
      await emulator.stop()
    }
  }
  const rounds = Math.round(positiveOption('--repeat', args.repeat))
  const runs: PeerRound[] = []
  for (let round = 1; round <= rounds; round++) {
    const of = rounds === 1 ? '' : ` (round ${round} of ${rounds})`
    if (round > 1) {
      // Outflow's next first sync needs an empty state again, and drt a fresh copy.
      await phase('setup', workspace, { rows })
      copyFileSync(warehousePath(workspace), peerDatabase)
    }
    log(`peer: drt sending ${rows} users (${behavior})${of}`)
    const peer = await against((url) => runPeer(args['peer-bin'], join(workspace.dir, 'drt'), peerDatabase, url, behavior))
    log(`peer: Outflow's first sync of ${rows} users (${behavior})${of}`)
    const first = await against((url) => phase('initial', workspace, { url }))
    log(`peer: a naive full send of ${rows} users${of}`)
    const naive = await against((url) => phase('naive', workspace, { url }))
    log(`peer: the floor, a bare send of ${rows} users${of}`)
    const floor = await against((url) => phase('floor', workspace, { url }))
    runs.push({ peer, first, naive, floor })
  }
  const last = runs[runs.length - 1] as PeerRound
  const middle = (of: (run: PeerRound) => number, digits = 3) => round(median(runs.map(of)), digits)
  const range = (of: (run: PeerRound) => number, digits = 3) => [
    round(Math.min(...runs.map(of)), digits),
    round(Math.max(...runs.map(of)), digits),
  ]
  const speedup = (run: PeerRound) => run.peer.value.seconds / run.first.value.seconds
  const floorSpeedup = (run: PeerRound) => run.peer.value.seconds / run.floor.value.seconds
  print({
    figure: 'first_sync_vs_peer',
    destination: 'braze',
    behavior,
    rows,
    latency_ms: latencyMs,
    rounds,
    outflow_s: middle((run) => run.first.value.seconds),
    peer_s: middle((run) => run.peer.value.seconds),
    speedup: middle(speedup, 2),
    naive_s: middle((run) => run.naive.value.seconds),
    first_over_naive: middle((run) => run.first.value.seconds / run.naive.value.seconds),
    floor_s: middle((run) => run.floor.value.seconds),
    floor_speedup: middle(floorSpeedup, 2),
    ...(rounds === 1
      ? {}
      : {
          speedup_range: range(speedup, 2),
          floor_speedup_range: range(floorSpeedup, 2),
          runs: runs.map((run) => ({
            outflow_s: round(run.first.value.seconds),
            peer_s: round(run.peer.value.seconds),
            naive_s: round(run.naive.value.seconds),
            floor_s: round(run.floor.value.seconds),
          })),
        }),
    peer: last.peer.value.version,
    peer_process_s: middle((run) => run.peer.value.processSeconds),
    requests: { outflow: last.first.requests, peer: last.peer.requests, naive: last.naive.requests, floor: last.floor.requests },
    outflow_peak_rss_mb: Math.max(...runs.map((run) => run.first.value.peakRssMb)),
    measured:
      "each against a fresh emulator, in rounds (drt, Outflow, naive, floor), medians over the rounds: outflow_s, naive_s and floor_s, the phase in its process; peer_s, drt's own duration of the sync (peer_process_s: the drt process, interpreter start included); floor_s, a bare send (read, post, nothing else: sync-bench-floor.ts), the least any sender in Node takes here, and floor_speedup, the most any speedup over drt can be here",
  })
}

/** One round of the peer figure: each sender's run, against its own emulator. */
interface PeerRound {
  peer: Against<PeerRun>
  first: Against<PhaseReport>
  naive: Against<PhaseReport>
  floor: Against<PhaseReport>
}

/** A run against a fresh emulator: what it returned, and what the emulator took. */
interface Against<T> {
  value: T
  delivered: number
  requests: number
}

/** Runs one phase in a child process (same Node, same loader) and reads the JSON line it prints. */
async function phase(
  name: string,
  workspace: BenchWorkspace,
  options: { rows?: number; url?: string; rate?: number },
): Promise<PhaseReport> {
  const argv = [process.argv[1] ?? '', '--phase', name, '--dir', workspace.dir, '--target', workspace.target]
  argv.push('--memory-limit', workspace.memoryLimit)
  if (options.rows !== undefined) argv.push('--rows', String(options.rows))
  if (options.url !== undefined) argv.push('--url', options.url)
  if (options.rate !== undefined) argv.push('--rate', String(options.rate))
  if (workspace.brazeBehavior !== undefined) argv.push('--behavior', workspace.brazeBehavior)
  const child = spawn(process.execPath, [...process.execArgv, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  if (code !== 0) throw new Error(`phase ${name} exited with ${code}`)
  return JSON.parse(out.trim() || '{}') as PhaseReport
}

/** A phase, in this (child) process: prints its report as one JSON line. */
async function runPhase(name: string): Promise<void> {
  const target = (args.target ?? 'braze') as BenchTarget
  const behavior = args.behavior
  if (behavior !== undefined && behavior !== 'update' && behavior !== 'upsert') throw new Error(`unknown --behavior "${behavior}"`)
  const workspace: BenchWorkspace = {
    dir: args.dir ?? '.',
    target,
    memoryLimit: args['memory-limit'],
    ...(behavior === undefined ? {} : { brazeBehavior: behavior }),
  }
  const url = args.url ?? ''
  let report: PhaseReport | undefined
  switch (name) {
    case 'setup':
      await buildModel(workspace, positiveOption('--rows', args.rows))
      break
    case 'churn':
      await churnModel(workspace, positiveOption('--rows', args.rows))
      break
    case 'delivery':
      report = await runAtRate(workspace, url, positiveOption('--rate', args.rate))
      break
    case 'initial':
    case 'incremental':
      report = await runOnce(workspace, url)
      break
    case 'naive':
      report = await sendNaively(workspace, url)
      break
    case 'floor':
      report = await sendBare(workspace, url)
      break
    default:
      throw new Error(`unknown phase "${name}"`)
  }
  process.stdout.write(`${JSON.stringify(report ?? {})}\n`)
}

function workspaceIn(dir: string, name: string, target: BenchTarget): BenchWorkspace {
  const path = join(dir, name)
  mkdirSync(path, { recursive: true })
  return { dir: path, target, memoryLimit: args['memory-limit'] }
}

function print(fields: FigureLine): void {
  process.stdout.write(`${JSON.stringify({ ...fields, ...machineFields() })}\n`)
}
