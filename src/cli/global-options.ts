import type { Command } from 'commander'

import type { CliIO } from './cli-io.js'
import { colorEnabled } from './color-support.js'

/** The options every command takes, before or after its name (`outflow --verbose run`, `outflow run --verbose`). */
interface GlobalOptions {
  /** False with `--no-color`. */
  color: boolean
  verbose?: boolean
}

/**
 * Adds `--no-color` and `--verbose` to the program, and before each command's action writes what
 * they decide into `io` (`io.color`, `io.verbose`), where commands and the error report read it.
 */
export function withGlobalOptions(program: Command, io: CliIO): Command {
  return program
    .option('--no-color', 'never colour the output, as NO_COLOR=1 does (colour is for terminals, or anywhere with FORCE_COLOR; never JSON)')
    .option('--verbose', 'errors with their stacks and causes; runs with their ids, requests and retries')
    .hook('preAction', () => {
      const options = program.opts<GlobalOptions>()
      const env = io.env ?? {}
      const noColorFlag = !options.color
      io.color = {
        stdout: colorEnabled({ isTTY: io.stdoutIsTTY === true, noColorFlag, env }),
        stderr: colorEnabled({ isTTY: io.isTTY === true, noColorFlag, env }),
      }
      io.verbose = options.verbose === true
    })
}
