import type { Command } from 'commander'

import { loadSpecs } from '../../spec/load-specs.js'
import { formatProblem, type SpecProblem } from '../../spec/problem.js'
import type { SpecCheckResult } from '../../spec/assemble-specs.js'
import {
  DEFAULT_MAX_SPEC_FILE_SIZE,
  describeBadFileSize,
  formatBytes,
  MAX_FILE_SIZE_ENV,
  MAX_SPEC_FILE_SIZE_CEILING,
  parseFileSize,
} from '../../spec/spec-file-size.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { jsonDocument } from '../json-output.js'
import { chooseFormat, withJsonOption, type FormatOptions } from '../output-format.js'
import { plural } from '../plural.js'
import { UsageError } from '../usage-error.js'

/** Output formats of `outflow validate`. */
export const VALIDATE_FORMATS = ['text', 'json', 'github'] as const
type ValidateFormat = (typeof VALIDATE_FORMATS)[number]

const HELP_AFTER = `
A spec file larger than the limit, or one that is not a regular file (a device, a FIFO, a link
inside the directory), is reported and not read; the other files are still checked. Credential
references must be variable names: anything else is reported without being shown.

Exit status: 0 when every spec is valid, 1 when any problem is found.

Examples:
  outflow validate
  outflow validate syncs/loops-contacts.yaml --json
  outflow validate --format github --max-file-size 256KiB`

/** Registers `outflow validate [path]`. */
export function registerValidate(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withJsonOption(
    program
      .command('validate')
      .description('Check sync specs: YAML syntax, the schema, references between specs, and what each destination supports.')
      .argument('[path]', 'a directory of spec files (searched recursively) or one file', 'syncs')
      .option('--format <format>', `output format: ${VALIDATE_FORMATS.join(', ')} (GitHub Actions annotations)`, 'text'),
  )
    .option(
      '--max-file-size <size>',
      `largest spec file read, in bytes or with KiB or MiB, up to ${formatBytes(MAX_SPEC_FILE_SIZE_CEILING)} (default: ${MAX_FILE_SIZE_ENV}, else ${formatBytes(DEFAULT_MAX_SPEC_FILE_SIZE)})`,
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (path: string, options: FormatOptions & { maxFileSize?: string }) => {
      const format = chooseFormat(options, VALIDATE_FORMATS)
      const maxFileSize = options.maxFileSize === undefined ? undefined : parseMaxFileSize(options.maxFileSize)
      const result = await loadSpecs(path, maxFileSize === undefined ? {} : { maxFileSize })
      io.stdout(render(result, format, path))
      setExit(result.errors.length === 0 ? EXIT.ok : EXIT.failed)
    })
}

function parseMaxFileSize(value: string): number {
  const bytes = parseFileSize(value)
  if (bytes === undefined) throw new UsageError(describeBadFileSize('--max-file-size', value))
  return bytes
}

function render(result: SpecCheckResult, format: ValidateFormat, path: string): string {
  const problems = [...result.errors, ...result.warnings]
  if (format === 'json') {
    return jsonDocument('validate', {
      valid: result.errors.length === 0,
      path,
      counts: result.counts,
      errors: result.errors,
      warnings: result.warnings,
    })
  }
  if (format === 'github') return problems.map(githubAnnotation).join('') + summary(result, path) + '\n'
  return problems.map((p) => formatProblem(p) + '\n').join('') + summary(result, path) + '\n'
}

function summary(result: SpecCheckResult, path: string): string {
  const { sources, destinations, syncs } = result.counts
  const counted = `${plural(sources, 'source')}, ${plural(destinations, 'destination')}, ${plural(syncs, 'sync')}`
  if (result.errors.length === 0) return `${path}: valid (${counted})`
  const files = new Set(result.errors.map((e) => e.file)).size
  return `${path}: ${plural(result.errors.length, 'error')} in ${plural(files, 'file')}`
}

/** `::error file=…,line=…,col=…::message`, which GitHub Actions shows on the pull request's diff. */
function githubAnnotation(problem: SpecProblem): string {
  const escape = (s: string) => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
  const property = (s: string) => escape(s).replaceAll(':', '%3A').replaceAll(',', '%2C')
  return `::${problem.severity} file=${property(problem.file)},line=${problem.line},col=${problem.column}::${escape(`${problem.pointer || '/'}  ${problem.message}`)}\n`
}
