import type { CliIO } from '../../src/cli/cli-io.js'
import { main } from '../../src/cli/main.js'

/** What a CLI command printed, and its exit status. */
export interface CliOutcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs `outflow <argv>` through the CLI entry point, in process, as a user's shell would. */
export async function runCli(...argv: string[]): Promise<CliOutcome> {
  return runCliWith({}, ...argv)
}

/**
 * {@link runCli} with more of the streams described: terminals (`stdoutIsTTY`, `isTTY`), their
 * width, and the environment colour is decided from.
 */
export async function runCliWith(streams: Omit<CliIO, 'stdout' | 'stderr'>, ...argv: string[]): Promise<CliOutcome> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { ...streams, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}
