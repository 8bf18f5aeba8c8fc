import type { Command } from 'commander'

import { connectorFor } from '../../../providers/connectors.js'
import type { CheckResult } from '../../destinations/destination.js'
import { createRequestGate } from '../../engine/request-gate.js'
import { isOutflowError } from '../../errors.js'
import { loadValidSpecs } from '../../spec/load-valid-specs.js'
import type { DestinationSpec } from '../../model/spec-types.js'
import { didYouMean } from '../../util/suggest.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { jsonDocument } from '../json-output.js'
import { chooseFormat, withJsonOption, type FormatOptions } from '../output-format.js'
import { createPalette, type Palette } from '../palette.js'
import { UsageError } from '../usage-error.js'

/** One destination's check, as printed. */
interface CheckLine {
  destination: string
  type: string
  result: CheckResult
}

/** Output formats of `outflow check`. */
const CHECK_FORMATS = ['text', 'json'] as const

/** Registers `outflow check [destination...]`. */
export function registerCheck(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withJsonOption(
    program
      .command('check')
      .description('Test each destination\'s credentials with the vendor\'s cheapest authenticated call, like a "Test connection" button.')
      .argument('[destination...]', 'destination names (all when none is given)')
      .option('--dir <path>', 'directory (or file) of the specs', 'syncs')
      .option('--format <format>', 'output format: text or json', 'text'),
  )
    .addHelpText(
      'after',
      '\nCredentials come from the environment: `{ secret: NAME }` and `{ env: NAME }` both read $NAME.\nExit status: 0 when every destination answers, 1 otherwise.\n\nExamples:\n  outflow check\n  LOOPS_API_KEY=... outflow check loops',
    )
    .action(async (names: string[], options: FormatOptions & { dir: string }) => {
      const format = chooseFormat(options, CHECK_FORMATS)
      // Only the Destinations are needed: a dbt manifest not built here is no reason to stop.
      const specs = await loadValidSpecs(options.dir, { dbtManifests: 'optional' })
      const lines = await Promise.all(selectDestinations(specs.destinations, names).map(checkOne))
      const ok = lines.every((l) => l.result.ok)
      const palette = createPalette(io.color?.stdout === true)
      io.stdout(
        format === 'json'
          ? jsonDocument('check', { ok, destinations: lines.map(checkJson) })
          : lines.map((line) => formatLine(line, palette)).join(''),
      )
      setExit(ok ? EXIT.ok : EXIT.failed)
    })
}

function selectDestinations(all: readonly DestinationSpec[], names: readonly string[]): DestinationSpec[] {
  if (names.length === 0) return [...all]
  return names.map((name) => {
    const found = all.find((d) => d.name === name)
    if (found === undefined) {
      const known = all.map((d) => d.name)
      throw new UsageError(`no Destination named "${name}"${didYouMean(name, known) || ` (defined: ${known.join(', ')})`}`)
    }
    return found
  })
}

async function checkOne(destination: DestinationSpec): Promise<CheckLine> {
  const line = (result: CheckResult): CheckLine => ({ destination: destination.name, type: destination.connection.type, result })
  try {
    const connector = await connectorFor(destination)
    return line(await connector.check(createRequestGate(connector.rateLimits)))
  } catch (error) {
    // A missing credential, for one, is this destination's failure, not the command's.
    if (!isOutflowError(error)) throw error
    return line({
      ok: false,
      code: error.code === 'DESTINATION_UNAVAILABLE' ? 'DESTINATION_UNAVAILABLE' : 'DESTINATION_AUTH',
      message: error.message,
    })
  }
}

function formatLine({ destination, type, result }: CheckLine, palette: Palette): string {
  return result.ok
    ? `${destination} (${type})  ${palette.status('ok')}  ${result.detail}\n`
    : `${destination} (${type})  ${palette.status('FAILED')}  ${result.message}\n`
}

/** One destination in `check --json`: its name and type, then `ok` with `detail`, or the error's `code` and `message`. */
function checkJson({ destination, type, result }: CheckLine): { destination: string; type: string } & CheckResult {
  return { destination, type, ...result }
}
