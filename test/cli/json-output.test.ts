import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { createBrazeCliWorkspace, type BrazeCliWorkspace } from '../helpers/braze-cli-workspace.js'
import { runCli } from '../helpers/run-cli.js'

/*
 * Every command's --json through the CLI entry point, against a Braze emulator and an embedded
 * DuckDB warehouse: one envelope (`version`, `command`), the fields README's "Machine-readable
 * output" documents with their types, times in ISO 8601, numbers where numbers belong, and no
 * words where a value belongs.
 */

const KEY_VARIABLE = 'JSON_TEST_BRAZE_KEY'

let braze: BrazeEmulator
let workspace: BrazeCliWorkspace

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  process.env[KEY_VARIABLE] = 'braze-test-key'
})
afterAll(async () => {
  await braze.stop()
  Reflect.deleteProperty(process.env, KEY_VARIABLE)
})
beforeEach(async () => {
  braze.reset()
  workspace = await createBrazeCliWorkspace(braze, KEY_VARIABLE)
})
afterEach(() => workspace.remove())

type Json = Record<string, unknown>

/** Runs a command and parses its stdout, which must be exactly one JSON document. */
async function json(command: string, ...argv: string[]): Promise<{ code: number; doc: Json; stdout: string }> {
  const result = await runCli(command, ...argv)
  expect(result.stdout.endsWith('}\n'), result.stderr).toBe(true)
  const doc = JSON.parse(result.stdout) as Json
  expectMachineReadable(doc, command)
  return { code: result.code, doc, stdout: result.stdout }
}

const isIsoTime = (value: unknown) => typeof value === 'string' && new Date(value).toISOString() === value

/** Words that once stood where a value belongs. */
const PROSE = new Set(['due now', 'never', 'when run by hand', 'not rate limited'])

/**
 * The envelope, then every field by the conventions of its name: `…At` an ISO time or null,
 * `…Ms` and `…Seconds` numbers, `counts` numbers only; no ANSI colour and no prose value anywhere.
 */
function expectMachineReadable(doc: Json, command: string): void {
  expect(doc).toMatchObject({ version: 1, command })
  expect(JSON.stringify(doc)).not.toContain('\u001b[')
  const visit = (value: unknown, key: string, path: string): void => {
    if (key.endsWith('At')) expect(value === null || isIsoTime(value), `${path}: ${String(value)}`).toBe(true)
    if (key.endsWith('Ms') || key.endsWith('Seconds')) expect(typeof value, path).toBe('number')
    if (key === 'counts') for (const [name, n] of Object.entries(value as Json)) expect(typeof n, `${path}.${name}`).toBe('number')
    if (typeof value === 'string') expect(PROSE.has(value), `${path}: "${value}"`).toBe(false)
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, '', `${path}[${i}]`))
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) visit(v, k, `${path}.${k}`)
  }
  visit(doc, '', '$')
}

const from = () => ['--from-dir', workspace.dir]

describe('--json on every command', () => {
  it('validate: whether the specs are valid, what they hold, and every problem with its place', async () => {
    const valid = await json('validate', workspace.dir, '--json')
    expect(valid.code).toBe(0)
    expect(valid.doc).toMatchObject({
      version: 1,
      command: 'validate',
      valid: true,
      path: workspace.dir,
      counts: { sources: 1, destinations: 1, syncs: 2 },
      errors: [],
      warnings: [],
    })
    const broken = await json('validate', 'test/fixtures/specs/broken/literal-secret.yaml', '--json')
    expect(broken.code).toBe(1)
    expect(broken.doc['valid']).toBe(false)
    const [problem] = broken.doc['errors'] as Json[]
    expect(problem).toMatchObject({ file: expect.any(String) as unknown, line: 7, column: 11, pointer: '/spec/apiKey' })
    expect(typeof problem?.['message']).toBe('string')
    // --format json stays an alias: the same document.
    expect((await runCli('validate', workspace.dir, '--format', 'json')).stdout).toBe(valid.stdout)
  })

  it('check: ok overall, and per destination its type and ok with detail', async () => {
    const { code, doc } = await json('check', '--dir', workspace.dir, '--json')
    expect(code).toBe(0)
    expect(doc).toMatchObject({ ok: true, destinations: [{ destination: 'braze', type: 'braze', ok: true }] })
    expect(typeof (doc['destinations'] as Json[])[0]?.['detail']).toBe('string')
  })

  it('plan: per sync the counts, requests by group and estimated seconds, with its registration', async () => {
    const { code, doc, stdout } = await json('plan', 'braze-users', '--dir', workspace.dir, '--json')
    expect(code).toBe(0)
    const [sync] = doc['syncs'] as Json[]
    expect(sync).toMatchObject({ sync: 'braze-users', registration: 'new', create: 5, update: 0, delete: 0, reject: 1, fullResync: false })
    expect(sync?.['requests']).toEqual({ track: 1 })
    expect(typeof sync?.['estimatedSeconds']).toBe('number')
    expect(doc['removed']).toEqual([])
    expect((await runCli('plan', 'braze-users', '--dir', workspace.dir, '--format', 'json')).stdout).toBe(stdout)
  })

  it('run: whether it was a dry run, and per sync its status, counts and timings', async () => {
    const dry = await json('run', 'braze-users', ...from(), '--dry-run', '--json')
    expect(dry.doc).toMatchObject({ dryRun: true, syncs: [{ sync: 'braze-users', create: 5, reject: 1 }] })
    expect(braze.requests()).toHaveLength(0)

    const { code, doc } = await json('run', ...from(), '--json')
    expect(code).toBe(0)
    expect(doc['dryRun']).toBe(false)
    const results = doc['results'] as Json[]
    expect(results.map((r) => [r['sync'], r['status']]).sort()).toEqual([
      ['braze-manual', 'succeeded'],
      ['braze-users', 'succeeded'],
    ])
    for (const result of results) {
      expect(result['counts']).toMatchObject({ added: 5, synced: 5, rejected: 1, failed: 0 })
      expect(typeof result['runId']).toBe('string')
      expect(typeof result['durationMs']).toBe('number')
    }
    const none = await json('run', '--due', ...from(), '--json')
    expect(none.doc).toEqual({ version: 1, command: 'run', dryRun: false, results: [] })
  })

  it('status: the schedule as data, the next run as an ISO time or null beside a due flag, the last run', async () => {
    const before = await json('status', ...from(), '--json')
    expect(isIsoTime(before.doc['checkedAt'])).toBe(true)
    const byName = (doc: Json) => new Map((doc['syncs'] as Json[]).map((s) => [s['sync'], s]))
    expect(byName(before.doc).get('braze-users')).toEqual({
      sync: 'braze-users',
      destination: 'braze',
      object: 'user',
      behavior: 'mirror',
      schedule: { kind: 'interval', interval: '1h', intervalSeconds: 3600 },
      lastRun: null,
      rejectedRows: 0,
      // Never run: due at once, with no time to name.
      nextRunAt: null,
      due: true,
      runningOn: null,
    })

    await runCli('run', ...from())
    const after = await json('status', ...from(), '--json')
    const users = byName(after.doc).get('braze-users')
    expect(users).toMatchObject({ rejectedRows: 1, due: false, lastRun: { status: 'succeeded', counts: { synced: 5 } } })
    const lastRun = users?.['lastRun'] as Json
    expect(Date.parse(users?.['nextRunAt'] as string) - Date.parse(lastRun['startedAt'] as string)).toBe(3_600_000)
    expect(byName(after.doc).get('braze-manual')).toMatchObject({ schedule: { kind: 'manual' }, nextRunAt: null, due: false })
  })

  it('runs and rejected: the sync named, its runs and refused rows with ISO times', async () => {
    await runCli('run', 'braze-users', ...from())
    const runs = await json('runs', 'braze-users', ...from(), '--json')
    expect(runs.doc).toMatchObject({ sync: 'braze-users' })
    const [run] = runs.doc['runs'] as Json[]
    expect(run).toMatchObject({
      sync: 'braze-users',
      status: 'succeeded',
      fullResync: false,
      counts: { added: 5, changed: 0, removed: 0, retried: 0, synced: 5, rejected: 1, failed: 0, unknown: 0 },
      requests: 1,
      retries: 0,
      rateLimited: 0,
      reason: null,
    })
    expect(isIsoTime(run?.['finishedAt'])).toBe(true)

    const rejected = await json('rejected', 'braze-users', ...from(), '--json')
    expect(rejected.doc).toMatchObject({ sync: 'braze-users', rows: [{ key: null, attempts: 1, runId: run?.['runId'] }] })
    expect(typeof (rejected.doc['rows'] as Json[])[0]?.['reason']).toBe('string')
  })

  it('verify: whether anything drifted, and per sync its outcome and counts', async () => {
    await runCli('run', 'braze-users', ...from())
    const { code, doc, stdout } = await json('verify', 'braze-users', ...from(), '--json')
    expect(code).toBe(0)
    expect(doc).toMatchObject({
      drift: false,
      syncs: [{ sync: 'braze-users', outcome: 'checked', counts: { read: 5, inSync: 5, missing: 0 }, findings: [] }],
    })
    expect((await runCli('verify', 'braze-users', ...from(), '--format', 'json')).stdout).toBe(stdout)
  })

  it('refuses --json beside another format (exit 2)', async () => {
    const both = await runCli('plan', '--dir', workspace.dir, '--json', '--format', 'markdown')
    expect(both).toMatchObject({ code: 2, stderr: 'outflow: --json and --format markdown ask for two formats: choose one\n' })
  })
})
