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
import { parseArgs } from 'node:util'

import { measureDiff, setUpDiffBench, type BenchOptions } from './diff-bench-phases.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    source: { type: 'string', default: 'duckdb' },
    'memory-limit': { type: 'string', default: '512MB' },
    repeat: { type: 'string', default: '3' },
    dir: { type: 'string' },
    phase: { type: 'string' },
  },
})

const dir = args.dir ?? mkdtempSync(join(tmpdir(), 'outflow-bench-'))
const options: BenchOptions = {
  rows: Number(args.rows),
  source: args.source === 'postgres' ? 'postgres' : 'duckdb',
  memoryLimit: args['memory-limit'],
  repeat: Number(args.repeat),
  dir,
}

if (args.phase === 'setup') {
  await setUpDiffBench(options)
} else if (args.phase === 'measure') {
  console.log(JSON.stringify(await measureDiff(options)))
} else {
  // Each phase in a process of its own: maxRSS then covers only that phase.
  const phase = (name: string) =>
    execFileSync(process.execPath, [...process.execArgv, process.argv[1] ?? '', ...process.argv.slice(2), '--phase', name, '--dir', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
  try {
    phase('setup')
    process.stdout.write(phase('measure'))
  } finally {
    if (args.dir === undefined) rmSync(dir, { recursive: true, force: true })
  }
}
