import { Command, CommanderError } from 'commander'

import { isOutflowError, type ErrorCode } from '../errors.js'
import { packageInfo } from '../package-info.js'
import { withCommandTelemetry } from '../telemetry/command-telemetry.js'
import { EXIT, type CliIO } from './cli-io.js'
import { registerCheck } from './commands/check.js'
import { registerDbt } from './commands/dbt.js'
import { registerEmulate } from './commands/emulate.js'
import { registerPlan } from './commands/plan.js'
import { registerRun } from './commands/run.js'
import { registerSchedule } from './commands/schedule.js'
import { registerHistory } from './commands/history.js'
import { registerValidate } from './commands/validate.js'
import { registerVerify } from './commands/verify.js'
import { registerWorker } from './commands/worker.js'
import { errorDetail } from './error-detail.js'
import { withGlobalOptions } from './global-options.js'
import { UsageError } from './usage-error.js'

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit status.
 * Errors are handled here, once: library code throws, this prints and picks the status.
 */
export async function main(argv: readonly string[], streams: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok
  // A copy: the global options (--no-color, --verbose) are written into it for this invocation only.
  const io: CliIO = { ...streams }
  const program = buildProgram(io, (code) => (exitCode = code))
  try {
    // run, schedule, worker and verify export OpenTelemetry when the OTEL_* variables ask for it.
    await withCommandTelemetry(
      program,
      (message) => io.stderr(`outflow: telemetry: ${message}\n`),
      () => program.parseAsync([...argv], { from: 'user' }),
    )
    return exitCode
  } catch (error) {
    return reportError(error, io)
  }
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command()
    .name('outflow')
    .description('Reverse ETL as code: keep SaaS tools in step with warehouse models, from typed YAML specs.')
    .version(packageInfo().version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
  withGlobalOptions(program, io)
  registerValidate(program, io, setExit)
  registerEmulate(program, io, setExit)
  registerCheck(program, io, setExit)
  registerRun(program, io, setExit)
  registerPlan(program, io, setExit)
  registerVerify(program, io, setExit)
  registerHistory(program, io, setExit)
  registerSchedule(program, io, setExit)
  registerWorker(program, io, setExit)
  registerDbt(program, io, setExit)
  // Subcommands inherit output and exit handling so their --help and errors go through `io` too.
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
  return program
}

/** Library errors that say the command was called wrongly (a sync name that matches none): exit 2, as a usage error. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SYNC_NOT_FOUND', 'OPTION_INVALID'])

function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // --help and --version end through exitOverride with exit code 0; commander has printed them.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage
  }
  if (error instanceof UsageError || (isOutflowError(error) && USAGE_CODES.has(error.code))) {
    io.stderr(`outflow: ${error.message}\n`)
    return EXIT.usage
  }
  if (isOutflowError(error)) {
    io.stderr(`outflow: ${error.message}\n${io.verbose === true ? errorDetail(error) : ''}`)
    return EXIT.failed
  }
  // A bug report needs the stack and the causes, --verbose or not.
  const detail = error instanceof Error ? errorDetail(error) : `${String(error)}\n`
  io.stderr(`outflow: unexpected error, please report it with the output below\n${detail}`)
  return EXIT.failed
}
