import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { main } from '../../src/cli/main.js'
import {
  startBrazeEmulator,
  startCleverTapEmulator,
  startCourierEmulator,
  startLoopsEmulator,
  type Emulator,
} from '../../providers/emulators.js'

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}

describe('outflow check', () => {
  const emulators: Emulator[] = []
  let dir = ''
  beforeAll(async () => {
    const [loops, braze, clevertap, courier] = await Promise.all([
      startLoopsEmulator(),
      startBrazeEmulator(),
      startCleverTapEmulator(),
      startCourierEmulator(),
    ])
    emulators.push(loops, braze, clevertap, courier)
    dir = await mkdtemp(join(tmpdir(), 'outflow-check-'))
    await writeFile(
      join(dir, 'destinations.yaml'),
      [
        `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: loops }\nspec: { type: loops, apiKey: { env: T_LOOPS_KEY }, baseUrl: "${loops.url}" }`,
        `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, apiKey: { env: T_BRAZE_KEY }, restEndpoint: "${braze.url}" }`,
        `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: clevertap }\nspec: { type: clevertap, accountId: TEST-ACCOUNT, passcode: { env: T_CT_PASSCODE }, region: eu1, baseUrl: "${clevertap.url}" }`,
        `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: courier }\nspec: { type: courier, authToken: { secret: T_COURIER_TOKEN }, baseUrl: "${courier.url}" }`,
      ].join('\n---\n'),
    )
  })
  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.stop()))
    await rm(dir, { recursive: true, force: true })
  })

  it('reports every destination ok with the right credentials', async () => {
    vi.stubEnv('T_LOOPS_KEY', 'loops-test-key')
    vi.stubEnv('T_BRAZE_KEY', 'braze-test-key')
    vi.stubEnv('T_CT_PASSCODE', 'clevertap-test-passcode')
    vi.stubEnv('T_COURIER_TOKEN', 'courier-test-token')
    const result = await run('check', '--dir', dir)
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines.map((l) => l.split('  ').slice(0, 2).join('  '))).toEqual([
      'loops (loops)  ok',
      'braze (braze)  ok',
      'clevertap (clevertap)  ok',
      'courier (courier)  ok',
    ])
  })

  it('fails a wrong key and a missing credential, names them, and never prints the key', async () => {
    vi.stubEnv('T_LOOPS_KEY', 'wrong-key-planted-1234')
    vi.stubEnv('T_COURIER_TOKEN', '')
    const result = await run('check', 'loops', 'courier', '--dir', dir, '--json')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      version: number
      command: string
      ok: boolean
      destinations: { destination: string; type: string; ok: boolean; code?: string; message?: string }[]
    }
    expect(report).toMatchObject({ version: 1, command: 'check', ok: false })
    expect(report.destinations.map((l) => [l.destination, l.type, l.ok, l.code])).toEqual([
      ['loops', 'loops', false, 'DESTINATION_AUTH'],
      ['courier', 'courier', false, 'DESTINATION_AUTH'],
    ])
    expect(report.destinations[1]?.message).toContain('T_COURIER_TOKEN is not set')
    // --format json stays an alias of --json: the same document.
    expect((await run('check', 'loops', 'courier', '--dir', dir, '--format', 'json')).stdout).toBe(result.stdout)
    expect(result.stdout).not.toContain('wrong-key-planted-1234')
  })

  it('refuses an unknown destination name with exit 2', async () => {
    const result = await run('check', 'lops', '--dir', dir)
    expect(result).toMatchObject({ code: 2, stderr: 'outflow: no Destination named "lops" (did you mean "loops"?)\n' })
  })
})
