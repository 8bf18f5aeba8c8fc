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

const args = benchArgs('bench:diff', 'the diff of a 1% change against one hashing scan of the model, one JSON line', {
  rows: { value: 'N', help: 'rows of the model', default: '1000000' },
  source: { value: 'NAME', help: 'duckdb, or postgres (OUTFLOW_BENCH_POSTGRES_URL)', default: 'duckdb' },
  repeat: { value: 'N', help: 'rounds of the scan and the diff, medians reported', default: '3' },
  'memory-limit': { value: 'SIZE', help: "DuckDB's memory limit", default: '512MB' },
  dir: { value: 'D', help: 'keep the workspace in D instead of a temporary folder' },
  // Set by this script for its own child processes.
  phase: {},
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
