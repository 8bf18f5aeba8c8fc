import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'

import { requiredServices } from '../../helpers/required-services.js'

/** Where the Pulumi CLI is, or why the suites that need it are skipped. */
export interface PulumiBin {
  /** The directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  dir: string | undefined
  /** Why the suite is skipped; undefined when it runs. */
  skipReason: string | undefined
}

/**
 * The Pulumi CLI from OUTFLOW_TEST_PULUMI_BIN (`bash .ci/build-pulumi.sh | tail -1` prints it).
 * Without it the suite is skipped with the reason shown, unless OUTFLOW_REQUIRE_SERVICES names
 * `pulumi` (as CI does): then this throws, and the suite fails.
 */
export function pulumiBin(): PulumiBin {
  const dir = process.env['OUTFLOW_TEST_PULUMI_BIN']
  if (dir === undefined || dir === '') {
    if (requiredServices().has('pulumi')) {
      throw new Error('pulumi is required (OUTFLOW_REQUIRE_SERVICES) but OUTFLOW_TEST_PULUMI_BIN is not set')
    }
    return { dir: undefined, skipReason: 'set OUTFLOW_TEST_PULUMI_BIN to run it (`bash .ci/build-pulumi.sh | tail -1` prints it)' }
  }
  const missing = ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-pulumi-nodejs'].filter((b) => !existsSync(join(dir, b)))
  if (missing.length > 0) throw new Error(`OUTFLOW_TEST_PULUMI_BIN=${dir} lacks ${missing.join(', ')}`)
  return { dir, skipReason: undefined }
}

/** How a process ended, with what it printed. */
export interface ProcessResult {
  command: string
  /** The exit code; null when a signal (the timeout's) ended it. */
  code: number | null
  stdout: string
  stderr: string
  durationMs: number
}

/** Options of {@link runProcess}. */
export interface RunOptions {
  cwd: string
  env: Readonly<Record<string, string>>
  timeoutMs: number
  /** Written to the process's standard input, which is then closed. */
  input?: string
}

/** Runs `file args` to its end, killing it (SIGKILL) after `timeoutMs`. Never rejects for a non-zero exit. */
export function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const started = Date.now()
  const command = [file, ...args].join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs} ms]\n`
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ command, code, stdout, stderr, durationMs: Date.now() - started })
    })
    child.stdin.end(options.input ?? '')
  })
}

/** A process result as text for a failure message or a CI log. */
export function describeResult(result: ProcessResult): string {
  return `$ ${result.command}\n[exit ${String(result.code)} after ${result.durationMs} ms]\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`
}

/** Options of {@link PulumiCli.run}. */
export interface PulumiRunOptions {
  /** The exit code expected; anything else throws, with everything the command printed. @default 0 */
  expectCode?: number
  /** @default 180_000 */
  timeoutMs?: number
  input?: string
}

/**
 * The Pulumi CLI run in one project directory, logged in to a file backend, isolated from the
 * machine's own Pulumi setup (its home, update checks, plugin downloads). Keeps every command's
 * output, so a test can look for secrets in all of it.
 */
export class PulumiCli {
  readonly env: Readonly<Record<string, string>>
  readonly transcript: ProcessResult[] = []

  constructor(
    readonly bin: string,
    readonly projectDir: string,
    options: { home: string; passphrase: string; extraEnv?: Readonly<Record<string, string>> },
  ) {
    this.env = {
      // The CLI's directory first (the engine finds its plugins there), then this Node (the program's runtime).
      PATH: [bin, dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter),
      HOME: process.env['HOME'] ?? options.home,
      PULUMI_HOME: options.home,
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_CONFIG_PASSPHRASE: options.passphrase,
      NO_COLOR: '1',
      ...options.extraEnv,
    }
  }

  /** `pulumi <args> --non-interactive --color never`; throws unless it exits with `expectCode`. */
  async run(args: readonly string[], options: PulumiRunOptions = {}): Promise<ProcessResult> {
    const result = await runProcess(join(this.bin, 'pulumi'), [...args, '--non-interactive', '--color', 'never'], {
      cwd: this.projectDir,
      env: this.env,
      timeoutMs: options.timeoutMs ?? 180_000,
      ...(options.input === undefined ? {} : { input: options.input }),
    })
    this.transcript.push(result)
    const expected = options.expectCode ?? 0
    if (result.code !== expected) {
      const text = describeResult(result)
      console.error(text)
      throw new Error(`expected exit ${expected}, got ${String(result.code)}:\n${text}`)
    }
    return result
  }

  /** Everything every command printed so far. */
  output(): string {
    return this.transcript.map(describeResult).join('\n')
  }
}
