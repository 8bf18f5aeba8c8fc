import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'

/** A benchmark called wrongly: an unknown option, or a value it cannot use. */
export class BenchUsageError extends Error {}

/**
 * Reads a benchmark's options, as the CLI treats its own: `--help` prints `usage` and exits 0; an
 * unknown option or a missing value prints one line naming it, and where to read the usage, and
 * exits 2, without a stack trace.
 */
export function benchArgs<O extends ParseArgsOptionsConfig>(name: string, usage: string, options: O): BenchValues<O> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${usage.trim()}\n`)
    process.exit(0)
  }
  try {
    return parseArgs({ options }).values
  } catch (error) {
    return exitOnUsageError(name, error)
  }
}

/** The values {@link benchArgs} reads with `options`. */
type BenchValues<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O }>>['values']

/** Runs a benchmark's work; a {@link BenchUsageError} it throws ends the process as {@link benchArgs} does. */
export async function runBench(name: string, work: () => Promise<void>): Promise<void> {
  try {
    await work()
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error
    exitOnUsageError(name, error)
  }
}

/** A number above zero, or a usage error naming the option. */
export function positiveOption(name: string, value: string | undefined): number {
  const n = Number(value)
  if (!(n > 0)) throw new BenchUsageError(`${name} must be a positive number, got "${value ?? ''}"`)
  return n
}

function exitOnUsageError(name: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`${name}: ${message} (run with --help for usage)\n`)
  process.exit(2)
}
