import { main } from '../../src/cli/main.js'

/** What a CLI command printed, and its exit status. */
export interface CliOutcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs `outflow <argv>` through the CLI entry point, in process, as a user's shell would. */
export async function runCli(...argv: string[]): Promise<CliOutcome> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}
