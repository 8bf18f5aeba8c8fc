import { parseArgs } from 'node:util'

/** A benchmark called wrongly: an unknown option, or a value it cannot use. */
export class BenchUsageError extends Error {}

/**
 * A benchmark's option (every one takes a value): what `--help` says of it, and its default.
 * Options without `help` are the script's own, set for its child processes, and not listed.
 */
export interface BenchOption {
  /** What the value is, as `--help` shows it: `N`, `PATH`. */
  value?: string
  help?: string
  default?: string
}

/** The values read for `options`: a string where the option has a default, else possibly undefined. */
export type BenchValues<O extends Record<string, BenchOption>> = {
  [K in keyof O]: O[K] extends { default: string } ? string : string | undefined
}

/**
 * Reads a benchmark's options, as the CLI treats its own: `--help` prints the usage (`summary`,
 * then each option with its help and default) and exits 0; an unknown option or a missing value
 * prints one line naming it, and where to read the usage, and exits 2, without a stack trace.
 */
export function benchArgs<O extends Record<string, BenchOption>>(name: string, summary: string, options: O): BenchValues<O> {
  if (process.argv.includes('--help')) {
    process.stdout.write(usage(name, summary, options))
    process.exit(0)
  }
  const config = Object.fromEntries(
    Object.entries(options).map(([key, option]) => [
      key,
      { type: 'string' as const, ...(option.default === undefined ? {} : { default: option.default }) },
    ]),
  )
  try {
    return parseArgs({ options: config }).values as BenchValues<O>
  } catch (error) {
    return exitOnUsageError(name, error)
  }
}

function usage(name: string, summary: string, options: Record<string, BenchOption>): string {
  const lines = Object.entries(options).flatMap(([key, option]) => {
    if (option.help === undefined) return []
    const flag = `--${key}${option.value === undefined ? '' : ` ${option.value}`}`
    return [`  ${flag.padEnd(22)} ${option.help}${option.default === undefined ? '' : ` (${option.default})`}`]
  })
  return [`npm run ${name} -- [options]: ${summary}`, '', ...lines, `  ${'--help'.padEnd(22)} this text`, ''].join('\n')
}

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
