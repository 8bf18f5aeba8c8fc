import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { createInterface } from 'node:readline'

import { describe, expect, it } from 'vitest'

import { planEmulate, runEmulators } from '../../src/cli/commands/emulate.js'
import { main } from '../../src/cli/main.js'
import { UsageError } from '../../src/cli/usage-error.js'
import { DEFAULT_AUTH, http, httpText } from './http.js'

const DEFAULT_OPTIONS = {
  host: '127.0.0.1',
  loopsApiKey: 'loops-test-key',
  brazeApiKey: 'braze-test-key',
  clevertapAccountId: 'TEST-ACCOUNT',
  clevertapPasscode: 'clevertap-test-passcode',
  courierAuthToken: 'courier-test-token',
}

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}

describe('outflow emulate: arguments', () => {
  it('starts all four emulators when none is named, on free ports', () => {
    expect(planEmulate([], DEFAULT_OPTIONS)).toMatchObject({ names: ['loops', 'braze', 'clevertap', 'courier'], firstPort: undefined })
  })

  it('passes the credentials flags to each emulator', () => {
    const plan = planEmulate(['courier', 'loops', 'courier'], {
      ...DEFAULT_OPTIONS,
      port: '4010',
      loopsApiKey: 'other',
      clevertapPasscode: 'p',
    })
    expect(plan).toMatchObject({ names: ['courier', 'loops'], firstPort: 4010 })
    expect(plan.configs).toEqual({
      loops: { apiKeys: ['other'] },
      braze: { apiKeys: ['braze-test-key'] },
      clevertap: { accountId: 'TEST-ACCOUNT', passcodes: ['p'] },
      courier: { authTokens: ['courier-test-token'] },
    })
  })

  it('refuses an unknown emulator or a bad port (exit 2)', async () => {
    expect(() => planEmulate(['loops', 'hubspot'], DEFAULT_OPTIONS)).toThrow(UsageError)
    expect(() => planEmulate(['loops'], { ...DEFAULT_OPTIONS, port: 'abc' })).toThrow(/invalid --port "abc"/)
    expect(() => planEmulate([], { ...DEFAULT_OPTIONS, port: '65534' })).toThrow(/from 1 to 65532/)
    expect(await run('emulate', 'hubspot')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'outflow: unknown emulator "hubspot": expected loops, braze, clevertap, courier\n',
    })
  })

  it('documents the default credentials in --help', async () => {
    const help = await run('emulate', '--help')
    expect(help.code).toBe(0)
    for (const text of [
      'loops-test-key',
      'braze-test-key',
      'TEST-ACCOUNT',
      'clevertap-test-passcode',
      'courier-test-token',
      '--port <port>',
    ]) {
      expect(help.stdout).toContain(text)
    }
  })
})

describe('outflow emulate: running', () => {
  it('prints one NAME URL line per emulator, serves until told to stop, then closes every port', async () => {
    let stdout = ''
    let stop = () => {}
    const until = new Promise<void>((resolve) => (stop = resolve))
    const running = runEmulators(planEmulate([], DEFAULT_OPTIONS), { stdout: (t) => (stdout += t), stderr: () => {} }, until)
    await expect.poll(() => stdout.split('\n').length, { timeout: 5000 }).toBe(5)
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(' '))
    expect(lines.map(([name]) => name)).toEqual(['loops', 'braze', 'clevertap', 'courier'])
    for (const [, url] of lines) expect((await http(url ?? '', 'GET', '/_emulator/state')).status).toBe(200)
    stop()
    expect(await running).toBe(0)
    for (const [, url] of lines) await expect(http(url ?? '', 'GET', '/_emulator/state')).rejects.toThrow()
  })

  it('takes fault rules with raw bodies through /_emulator/faults', async () => {
    let stdout = ''
    let stop = () => {}
    const until = new Promise<void>((resolve) => (stop = resolve))
    const running = runEmulators(planEmulate(['braze'], DEFAULT_OPTIONS), { stdout: (t) => (stdout += t), stderr: () => {} }, until)
    await expect.poll(() => stdout.includes('\n'), { timeout: 5000 }).toBe(true)
    const url = stdout.trim().split(' ')[1] ?? ''
    const rule = { kind: 'status', status: 200, bodyText: '<html>Sign in</html>', contentType: 'text/html' }
    expect((await http(url, 'POST', '/_emulator/faults', { body: { faults: [rule] } })).status).toBe(200)
    const answer = await httpText(url, 'GET', '/segments/list', { headers: DEFAULT_AUTH.braze })
    expect(answer).toMatchObject({ status: 200, text: '<html>Sign in</html>', headers: { 'content-type': 'text/html' } })
    stop()
    expect(await running).toBe(0)
  })

  it('exits 1, naming the emulator and port, and stops the ones started when a port is taken', async () => {
    const { port, release } = await holdAdjacentPorts()
    let stderr = ''
    const plan = planEmulate(['loops', 'braze'], { ...DEFAULT_OPTIONS, port: String(port) })
    const code = await runEmulators(plan, { stdout: () => {}, stderr: (t) => (stderr += t) }, Promise.resolve())
    release()
    expect(code).toBe(1)
    expect(stderr).toMatch(new RegExp(`^outflow: cannot start the braze emulator on 127\\.0\\.0\\.1:${port + 1}: .*EADDRINUSE`))
    await expect(http(`http://127.0.0.1:${port}`, 'GET', '/_emulator/state')).rejects.toThrow()
  })

  it('runs as a process and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'emulate', 'loops', 'courier'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const lines: string[] = []
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line)
      if (lines.length === 2) break
    }
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['loops', 'courier'])
    const loopsUrl = lines[0]?.split(' ')[1] ?? ''
    expect((await http(loopsUrl, 'GET', '/v1/api-key', { headers: { authorization: 'Bearer loops-test-key' } })).status).toBe(200)
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})

/** A free port `port`, with `port + 1` held by another server, so the second emulator cannot start. */
async function holdAdjacentPorts(): Promise<{ port: number; release: () => void }> {
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server))
    })
  for (let attempt = 0; ; attempt++) {
    const probe = await listen(0)
    const port = (probe.address() as { port: number }).port
    probe.close()
    try {
      const holder = await listen(port + 1)
      return { port, release: () => holder.close() }
    } catch (error) {
      if (attempt === 5) throw error
    }
  }
}
