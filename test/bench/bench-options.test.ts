import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

import { describe, expect, it } from 'vitest'

/*
 * The benchmarks take minutes: a wrong option must stop them at once with one line that names
 * it (exit 2, as the CLI), never a stack trace, and `--help` must list what they take.
 */

const run = async (script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `bench/${script}`, ...args], {
      timeout: 60_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('benchmark options', () => {
  it('--help lists the options of both benchmarks', async () => {
    const sync = await run('sync-bench.ts', ['--help'])
    expect(sync.code).toBe(0)
    for (const option of ['--figures', '--rows', '--peer-behavior', '--repeat', '--peer-latency-ms', '--workers', '--dir'])
      expect(sync.stdout).toContain(option)
    const diff = await run('diff-bench.ts', ['--help'])
    expect(diff.code).toBe(0)
    for (const option of ['--rows', '--source', '--repeat']) expect(diff.stdout).toContain(option)
  })

  it('refuses a wrong option or value before any figure runs, naming it', async () => {
    const cases: [string, string[], string][] = [
      ['sync-bench.ts', ['--figures', 'peer,nope'], '--figures: unknown nope'],
      ['sync-bench.ts', ['--figures', 'full', '--rows', 'many'], '--rows must be a positive number, got "many"'],
      ['sync-bench.ts', ['--figures', 'peer', '--peer-behavior', 'insert'], '--peer-behavior must be upsert or update, got "insert"'],
      ['sync-bench.ts', ['--figures', 'full', '--destination', 'loops'], '--destination must be braze or clevertap, got "loops"'],
      ['sync-bench.ts', ['--workers', '0'], '--workers must be a positive number, got "0"'],
      ['sync-bench.ts', ['--figures', 'peer', '--repeat', 'twice'], '--repeat must be a positive number, got "twice"'],
      [
        'sync-bench.ts',
        ['--figures', 'peer', '--peer-latency-ms', '1.5'],
        '--peer-latency-ms must be a whole number of milliseconds from 0 to 60000, got "1.5"',
      ],
      ['sync-bench.ts', ['--fgures', 'peer'], "Unknown option '--fgures'"],
      ['diff-bench.ts', ['--source', 'snowflake'], '--source must be duckdb or postgres, got "snowflake"'],
      ['diff-bench.ts', ['--repeat', '0'], '--repeat must be a positive number, got "0"'],
    ]
    for (const [script, args, message] of cases) {
      const result = await run(script, args)
      expect(result.code, `${script} ${args.join(' ')}`).toBe(2)
      expect(result.stderr).toContain(message)
      expect(result.stderr).toContain('(run with --help for usage)')
      expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at /)
      expect(result.stdout).toBe('')
    }
  })
})
