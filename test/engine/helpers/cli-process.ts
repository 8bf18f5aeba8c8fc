import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The built CLI: `npm run build` makes it (`npm test` does). */
export const CLI_BIN = fileURLToPath(new URL('../../../dist/src/cli/bin.js', import.meta.url))

/** How a CLI process ended, with what it printed. */
export interface CliExit {
  /** The exit code; null when a signal ended the process. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * `outflow` in a process of its own, as a user or a cron job starts it: its own DuckDB connection,
 * its own credentials from the environment, and a real death when killed.
 */
export class CliProcess {
  readonly child: ChildProcess
  readonly exited: Promise<CliExit>
  private out = ''
  private err = ''

  private constructor(args: readonly string[], env: Readonly<Record<string, string>>) {
    if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run \`npm run build\` (npm test does)`)
    this.child = spawn(process.execPath, [CLI_BIN, ...args], {
      // No terminal: the CLI writes log lines, not a progress bar.
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.out += text))
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.err += text))
    this.exited = new Promise((resolveExit, reject) => {
      this.child.once('error', reject)
      this.child.once('close', (code, signal) => resolveExit({ code, signal, stdout: this.out, stderr: this.err }))
    })
  }

  /** Starts `node dist/src/cli/bin.js <args>` with only `env` (and PATH, HOME) in its environment. */
  static start(args: readonly string[], env: Readonly<Record<string, string>>): CliProcess {
    return new CliProcess(args, env)
  }

  /** Runs the CLI to its end. */
  static run(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliExit> {
    return new CliProcess(args, env).exited
  }

  get stdout(): string {
    return this.out
  }

  get stderr(): string {
    return this.err
  }

  /** SIGKILL: no handler runs, nothing is flushed or released. Resolves once the process is gone. */
  async kill(): Promise<CliExit> {
    this.child.kill('SIGKILL')
    return this.exited
  }
}

/**
 * Polls `condition` every few milliseconds until it holds; fails with `what` after `timeoutMs`, or
 * as soon as `process` ends (with what it printed).
 */
export async function waitUntil(condition: () => boolean, what: string, process?: CliProcess, timeoutMs = 20_000): Promise<void> {
  let ended: CliExit | undefined
  void process?.exited.then((exit) => (ended = exit))
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (ended !== undefined) throw new Error(`the process ended (${String(ended.code)}) before ${what}:\n${ended.stdout}${ended.stderr}`)
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
