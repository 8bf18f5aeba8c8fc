/**
 * `npm run bench:diff -- --rows N [--source duckdb|postgres] [--repeat 3] [--dir D]`: builds an
 * N-row, 10-column model, syncs it once (the snapshot), changes 1% of it (0.4% updated, 0.3%
 * deleted, 0.3% inserted), then times the diff against one hashing scan of the model in the same
 * run. Setup and measurement run in separate processes, so `peakRssMb` is the memory of the
 * measurement alone (DuckDB included), not of building the data. Prints one JSON line.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { benchArgs, BenchUsageError, positiveOption, runBench } from './bench-args.js'
import { measureDiff, setUpDiffBench, type BenchOptions } from './diff-bench-phases.js'

const USAGE = `
npm run bench:diff -- [options]: the diff of a 1% change against one hashing scan of the model, one JSON line

  --rows N               rows of the model (1000000)
  --source NAME          duckdb, or postgres (OUTFLOW_BENCH_POSTGRES_URL) (duckdb)
  --repeat N             rounds of the scan and the diff, medians reported (3)
  --memory-limit SIZE    DuckDB's memory limit (512MB)
  --dir D                keep the workspace in D instead of a temporary folder
  --help                 this text
`

const args = benchArgs('bench:diff', USAGE, {
  rows: { type: 'string', default: '1000000' },
  source: { type: 'string', default: 'duckdb' },
  'memory-limit': { type: 'string', default: '512MB' },
  repeat: { type: 'string', default: '3' },
  dir: { type: 'string' },
  phase: { type: 'string' },
})

await runBench('bench:diff', async () => {
  const source = args.source
  if (source !== 'duckdb' && source !== 'postgres') throw new BenchUsageError(`--source must be duckdb or postgres, got "${source}"`)
  const options: BenchOptions = {
    rows: Math.round(positiveOption('--rows', args.rows)),
    source,
    memoryLimit: args['memory-limit'],
    repeat: Math.round(positiveOption('--repeat', args.repeat)),
    dir: args.dir ?? mkdtempSync(join(tmpdir(), 'outflow-bench-')),
  }
  await runDiffBench(options)
})

async function runDiffBench(options: BenchOptions): Promise<void> {
  const { dir } = options
  if (args.phase === 'setup') {
    await setUpDiffBench(options)
  } else if (args.phase === 'measure') {
    console.log(JSON.stringify(await measureDiff(options)))
  } else {
    // Each phase in a process of its own: maxRSS then covers only that phase.
    const phase = (name: string) =>
      execFileSync(
        process.execPath,
        [...process.execArgv, process.argv[1] ?? '', ...process.argv.slice(2), '--phase', name, '--dir', dir],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      )
    try {
      phase('setup')
      process.stdout.write(phase('measure'))
    } finally {
      if (args.dir === undefined) rmSync(dir, { recursive: true, force: true })
    }
  }
}
