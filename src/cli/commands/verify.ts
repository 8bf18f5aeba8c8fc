import type { Command } from 'commander'

import type { AlertWarning } from '../../alerts/alert-warning.js'
import { verifySelected } from '../../api/verify-syncs.js'
import { driftCount } from '../../engine/verify/sync-verification.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { formatVerify, VERIFY_FORMATS } from '../format-verify.js'
import { chooseFormat, withJsonOption, type FormatOptions } from '../output-format.js'
import { withSelectionOptions, type SelectionOptions } from '../sync-selection.js'
import { UsageError } from '../usage-error.js'

/** Exit status when the data drifted, as `pulumi preview --expect-no-changes` exits when the configuration did. */
export const EXIT_DRIFT = 7

interface VerifyOptions extends SelectionOptions, FormatOptions {
  sample?: string
  showValues?: boolean
}

const HELP_AFTER = `
Reads records back from each destination and compares them with what the state store says the
destination accepted: records missing at the vendor, values that differ from the model row that
was sent (rows changed since are pending, not drift), and records a mirror removed that are still
there. Objects that cannot be read back (Braze and CleverTap events) are reported as not
verifiable. Reads go through the vendors' rate limits; --sample keeps them few. The warehouse is
only read: read-only credentials are enough.

Keys and field names are shown; values only with --show-values (they are model values).

Exit status: 0 when nothing drifted, 7 when something did, 1 when a sync could not be verified.

Examples:
  outflow verify
  outflow verify braze-users --sample 500
  outflow verify --format markdown > verify.md
  outflow verify --json
  outflow verify loops-contacts --show-values --from-dir syncs`

/** Registers `outflow verify [sync...]`. */
export function registerVerify(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withJsonOption(
    withSelectionOptions(
      program
        .command('verify')
        .description(
          'Read synced records back from each destination and report drift: missing, different, or still present after a mirror removed them.',
        )
        .argument('[sync...]', 'sync names (all when none is given)'),
    )
      .option('--sample <count>', 'read this many synced records per sync, drawn at random (and as many removed ones); all by default')
      .option(
        '--format <format>',
        `output format: ${VERIFY_FORMATS.join(', ')} (markdown suits an issue or a pull-request comment)`,
        'text',
      ),
  )
    .option('--show-values', 'show the differing values (model values: keep them out of public output)')
    .addHelpText('after', HELP_AFTER)
    .action(async (names: string[], options: VerifyOptions) => {
      const format = chooseFormat(options, VERIFY_FORMATS)
      const sample = parseSample(options.sample)
      // Read-only: verifying reads the warehouse (and the vendors) and changes nothing.
      const warehouses = new WarehousePool(process.env, { readOnly: true })
      try {
        const onAlertWarning = (warning: AlertWarning) => io.stderr(`warning: ${warning.message}\n`)
        const results = await verifySelected(
          { ...options, syncs: names, sample, showValues: options.showValues === true, onAlertWarning },
          warehouses,
        )
        io.stdout(formatVerify(results, format))
        setExit(results.some((r) => r.outcome === 'failed') ? EXIT.failed : results.some((r) => driftCount(r) > 0) ? EXIT_DRIFT : EXIT.ok)
      } finally {
        await warehouses.closeAll()
      }
    })
}

function parseSample(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const sample = Number(value)
  if (!Number.isInteger(sample) || sample < 1) throw new UsageError(`invalid --sample "${value}": expected a whole number of at least 1`)
  return sample
}
