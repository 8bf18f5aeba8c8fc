import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { describe, expect, it, onTestFinished } from 'vitest'

import { main } from '../../src/cli/main.js'

/** Runs the CLI in process and captures what it prints. */
async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-validate-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('outflow validate', () => {
  it('exits 0 and summarises a valid directory (syncs/ by default)', async () => {
    const result = await run('validate')
    expect(result).toEqual({ code: 0, stdout: 'syncs: valid (1 source, 4 destinations, 7 syncs)\n', stderr: '' })
  })

  it('exits 1 and prints every problem as file:line:col  pointer  message', async () => {
    const result = await run('validate', 'test/fixtures/specs/broken')
    expect(result.code).toBe(1)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(9)
    expect(lines[0]).toBe(
      'test/fixtures/specs/broken/bad-cron.yaml:12:21  /spec/schedule/cron  invalid cron expression "61 * * * *": Invalid value for minute: 61',
    )
    expect(lines.at(-1)).toBe('test/fixtures/specs/broken: 8 errors in 7 files')
  })

  it('prints machine-readable JSON with --format json', async () => {
    const result = await run('validate', 'test/fixtures/specs/broken/literal-secret.yaml', '--format', 'json')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      valid: boolean
      errors: { file: string; line: number; column: number; pointer: string; rule: string }[]
    }
    expect(report.valid).toBe(false)
    expect(report.errors).toEqual([
      expect.objectContaining({
        file: 'test/fixtures/specs/broken/literal-secret.yaml',
        line: 7,
        column: 11,
        pointer: '/spec/apiKey',
        rule: 'schema',
      }),
    ])
  })

  it('prints GitHub Actions annotations with --format github', async () => {
    const result = await run('validate', 'test/fixtures/specs/broken', '--format', 'github')
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')[0]).toMatch(
      /^::error file=test\/fixtures\/specs\/broken\/bad-cron\.yaml,line=12,col=21::\/spec\/schedule\/cron {2}invalid cron/,
    )
  })

  it('validates a single file', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'one.yaml'), 'apiVersion: outflow/v1\nkind: Source\nmetadata: { name: w }\nspec: { type: duckdb }\n')
    const result = await run('validate', join(dir, 'one.yaml'))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('valid (1 source, 0 destinations, 0 syncs)')
  })

  it('says clearly when there is nothing to validate', async () => {
    expect(await run('validate', 'no/such/dir')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'outflow: cannot read specs: no/such/dir does not exist\n',
    })
    const dir = await tempDir()
    expect((await run('validate', dir)).stderr).toBe(`outflow: no spec files (*.yaml, *.yml) in ${dir}\n`)
  })

  it('refuses an unknown format with exit 2', async () => {
    const result = await run('validate', '--format', 'xml')
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('outflow: unknown --format "xml": expected text, json, github\n')
  })

  it('has --help on the program and on the command', async () => {
    const top = await run('--help')
    expect(top.code).toBe(0)
    expect(top.stdout).toContain('validate [options] [path]')
    const command = await run('validate', '--help')
    expect(command.code).toBe(0)
    expect(command.stdout).toContain('--format <format>')
    expect(command.stdout).toContain('Exit status: 0 when every spec is valid')
  })

  it('rejects an unknown command with exit 2 and a hint', async () => {
    const result = await run('valdate')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown command 'valdate'")
    expect(result.stderr).toContain('validate')
  })
})

describe('the installed outflow binary', () => {
  it('runs through npx as a user would, with the exit status of the check', async () => {
    // `npm test` builds dist/ first; the bin is linked into node_modules/.bin by `npm install`.
    expect(existsSync('dist/src/cli/bin.js'), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true)
    const exec = promisify(execFile)
    const ok = await exec('npx', ['--no-install', 'outflow', 'validate', 'syncs'])
    expect(ok.stdout).toBe('syncs: valid (1 source, 4 destinations, 7 syncs)\n')
    const failed = (await exec('npx', ['--no-install', 'outflow', 'validate', 'test/fixtures/specs/broken']).then(
      () => ({ code: 0, stdout: '' }),
      (error: unknown) => error,
    )) as { code: number; stdout: string }
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('8 errors in 7 files')
  })
})
