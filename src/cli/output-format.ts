import type { Command } from 'commander'

import { UsageError } from './usage-error.js'

/** The options of a command that prints in several formats, JSON among them. */
export interface FormatOptions {
  format: string
  json?: boolean
}

/**
 * Adds `--json`, the documented way to ask any command for JSON, to a command whose `--format`
 * also offers text and other forms; `--format json` stays as an alias.
 */
export function withJsonOption(command: Command): Command {
  return command.option('--json', 'print JSON, as every command does with --json (the same as --format json)')
}

/**
 * The format asked for: `--json` is JSON, else `--format`'s value if the command knows it.
 * `--json` beside another `--format` than text or json asks for two formats: a usage error.
 */
export function chooseFormat<F extends string>(options: FormatOptions, formats: readonly F[]): F {
  const format = options.format
  if (!isOneOf(format, formats)) throw new UsageError(`unknown --format "${format}": expected ${formats.join(', ')}`)
  if (options.json !== true) return format
  const json = formats.find((f) => f === 'json')
  if (json === undefined || (format !== 'text' && format !== 'json'))
    throw new UsageError(`--json and --format ${format} ask for two formats: choose one`)
  return json
}

function isOneOf<F extends string>(value: string, formats: readonly F[]): value is F {
  return (formats as readonly string[]).includes(value)
}
