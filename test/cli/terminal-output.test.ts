import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { colorEnabled } from '../../src/cli/color-support.js'
import { createPalette } from '../../src/cli/palette.js'
import { plural } from '../../src/cli/plural.js'
import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { createBrazeCliWorkspace, type BrazeCliWorkspace } from '../helpers/braze-cli-workspace.js'
import { runCli, runCliWith } from '../helpers/run-cli.js'

/*
 * What a person sees: colour on a terminal and only there, plurals, --verbose, and
 * `run --log-format`, through the CLI entry point against a Braze emulator and a DuckDB warehouse.
 */

const KEY_VARIABLE = 'TERMINAL_TEST_BRAZE_KEY'
const GREEN = '\u001b[32m'

let braze: BrazeEmulator
let workspace: BrazeCliWorkspace

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
})
afterAll(() => braze.stop())
beforeEach(async () => {
  braze.reset()
  process.env[KEY_VARIABLE] = 'braze-test-key'
  workspace = await createBrazeCliWorkspace(braze, KEY_VARIABLE)
})
afterEach(async () => {
  Reflect.deleteProperty(process.env, KEY_VARIABLE)
  await workspace.remove()
})

const from = () => ['--from-dir', workspace.dir]

describe('colour', () => {
  it('is decided by --no-color, then NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal', () => {
    const decide = (isTTY: boolean, env: Record<string, string>, noColorFlag = false) => colorEnabled({ isTTY, noColorFlag, env })
    expect(decide(true, {})).toBe(true)
    expect(decide(false, {})).toBe(false)
    expect(decide(true, { TERM: 'dumb' })).toBe(false)
    expect(decide(true, {}, true)).toBe(false)
    expect(decide(true, { NO_COLOR: '1' })).toBe(false)
    // An empty NO_COLOR does not count (no-color.org).
    expect(decide(true, { NO_COLOR: '' })).toBe(true)
    expect(decide(false, { FORCE_COLOR: '1' })).toBe(true)
    expect(decide(false, { FORCE_COLOR: '' })).toBe(true)
    expect(decide(true, { FORCE_COLOR: '0' })).toBe(false)
    expect(decide(false, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false)
    expect(decide(false, { FORCE_COLOR: '1' }, true)).toBe(false)
  })

  it('colours statuses: succeeded green, partial and cancelled yellow, failed red, skipped dim', () => {
    const palette = createPalette(true)
    expect(['succeeded', 'partial', 'cancelled', 'failed', 'skipped', 'running'].map((s) => palette.status(s))).toEqual([
      '\u001b[32msucceeded\u001b[39m',
      '\u001b[33mpartial\u001b[39m',
      '\u001b[33mcancelled\u001b[39m',
      '\u001b[31mfailed\u001b[39m',
      '\u001b[2mskipped\u001b[22m',
      'running',
    ])
    expect(createPalette(false).status('failed')).toBe('failed')
  })

  it('shows on a terminal, never with --no-color, NO_COLOR, in JSON or when stdout is not a terminal', async () => {
    const onTerminal = await runCliWith({ stdoutIsTTY: true, env: {} }, 'run', 'braze-users', ...from())
    expect(onTerminal.code).toBe(0)
    expect(onTerminal.stdout).toContain(`${GREEN}succeeded\u001b[39m braze-users (braze user, mirror)`)
    expect(onTerminal.stdout).toContain(`${GREEN}1 succeeded\u001b[39m, 0 partial`)
    const runs = await runCliWith({ stdoutIsTTY: true, env: {} }, 'runs', 'braze-users', ...from())
    expect(runs.stdout).toContain(`${GREEN}succeeded`)
    const check = await runCliWith({ stdoutIsTTY: true, env: {} }, 'check', '--dir', workspace.dir)
    expect(check.stdout).toContain(`braze (braze)  ${GREEN}ok\u001b[39m`)

    for (const plain of [
      await runCliWith({ stdoutIsTTY: true, env: {} }, 'runs', 'braze-users', ...from(), '--no-color'),
      await runCliWith({ stdoutIsTTY: true, env: {} }, '--no-color', 'runs', 'braze-users', ...from()),
      await runCliWith({ stdoutIsTTY: true, env: { NO_COLOR: '1' } }, 'runs', 'braze-users', ...from()),
      await runCliWith({ stdoutIsTTY: false, env: {} }, 'runs', 'braze-users', ...from()),
      await runCliWith({ stdoutIsTTY: true, env: { FORCE_COLOR: '1' } }, 'runs', 'braze-users', ...from(), '--json'),
      await runCliWith({ stdoutIsTTY: true, env: { FORCE_COLOR: '1' } }, 'run', ...from(), '--json'),
    ]) {
      expect(plain.stdout).toContain('succeeded')
      expect(plain.stdout).not.toContain('\u001b[')
    }
    // FORCE_COLOR colours what is not a terminal, a CI log that shows colours.
    const forced = await runCliWith({ stdoutIsTTY: false, env: { FORCE_COLOR: '1' } }, 'runs', 'braze-users', ...from())
    expect(forced.stdout).toContain(`${GREEN}succeeded`)
  })
})

describe('plurals', () => {
  it('counts one thing in the singular and others in the plural', async () => {
    expect([plural(0, 'sync'), plural(1, 'sync'), plural(2, 'sync'), plural(1, 'batch', 'batches'), plural(12_345, 'row')]).toEqual([
      '0 syncs',
      '1 sync',
      '2 syncs',
      '1 batch',
      '12,345 rows',
    ])
    const run = await runCli('run', 'braze-users', ...from())
    // Without --log-format, stderr holds progress lines only, and a run of one batch has none.
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('running 1 working tree sync\n')
    expect(run.stdout).toMatch(/-> 5 synced, 1 rejected, 0 failed \[1 batch, \d+\.\d s\]\n/)
    expect(run.stdout).toContain('1 sync: 1 succeeded, 0 partial, 0 failed, 0 skipped; 5 records synced\n')
    const status = await runCli('status', ...from())
    expect(status.stdout).toContain('(1 request, 0 retries, 0 answered 429)')
    const plan = await runCli('plan', 'braze-manual', '--dir', workspace.dir)
    expect(plan.stdout).toContain('  1 batch, 1 track request, ')
  })
})

describe('--verbose', () => {
  it('adds the run id, retries and 429s to run lines', async () => {
    process.env[KEY_VARIABLE] = 'not-the-key'
    const run = await runCli('run', 'braze-users', ...from(), '--verbose')
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/\[1 batch, \d+\.\d s, run [0-9a-f-]{36}, 0 retries, 0 answered 429\]\n {10}why: DESTINATION_AUTH: /)
    const quiet = await runCli('run', 'braze-users', ...from())
    expect(quiet.stdout).not.toMatch(/run [0-9a-f-]{36}/)
    expect(quiet.stdout).toMatch(/\n {10}why: /)
  })

  it("prints an error's stack, which is left out without it", async () => {
    const missing = `${workspace.dir}/nowhere`
    const quiet = await runCli('status', '--dir', missing)
    expect(quiet.code).toBe(1)
    expect(quiet.stderr.trimEnd().split('\n')).toHaveLength(1)
    const verbose = await runCli('status', '--dir', missing, '--verbose')
    expect(verbose.code).toBe(1)
    expect(verbose.stderr.startsWith(quiet.stderr)).toBe(true)
    expect(verbose.stderr).toMatch(/\n {4}at /)
  })
})

describe('run --log-format', () => {
  it('json: one object per event on stderr, with time, level, event, sync, run id, counts and error code; stdout keeps the results', async () => {
    process.env[KEY_VARIABLE] = 'not-the-key'
    const run = await runCli('run', 'braze-users', ...from(), '--log-format', 'json')
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^running 1 working tree sync\nfailed {4}braze-users /)
    const events = run.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(events.map((e) => e['event'])).toEqual(['syncs_started', 'run_finished', 'syncs_finished'])
    for (const event of events) expect(new Date(event['time'] as string).toISOString()).toBe(event['time'])
    expect(events[1]).toMatchObject({
      level: 'error',
      sync: 'braze-users',
      run_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      counts: { synced: 0, failed: 5 },
      error_code: 'DESTINATION_AUTH',
      status: 'failed',
    })
    expect(events[2]).toMatchObject({ level: 'warn', counts: { syncs: 1, failed: 1, succeeded: 0 } })
  })

  it('text: one timestamped line per event, and no progress bar even on a terminal', async () => {
    const run = await runCliWith({ isTTY: true, stderrColumns: () => 100 }, 'run', 'braze-users', ...from(), '--log-format', 'text')
    expect(run.code).toBe(0)
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}\S/)
    expect(lines[1]).toContain('succeeded braze-users (braze user, mirror): 5 added')
    expect(run.stderr).not.toContain('\r')
  })
})
