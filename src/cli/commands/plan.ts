import type { Command } from 'commander'

import { planOutcomes } from '../../api/plan-syncs.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { formatPlan, PLAN_FORMATS } from '../format-plan.js'
import { chooseFormat, withJsonOption, type FormatOptions } from '../output-format.js'
import { UsageError } from '../usage-error.js'

interface PlanOptions extends FormatOptions {
  dir: string
  samples: string
  dbtState?: string
}

const HELP_AFTER = `
The data impact of the specs in the working tree, against the warehouse and the state store:
per sync, records to create, update, delete and reject, API calls and the time they take at the
destination's rate limit, and whether the change forces a full resync. Nothing is sent and no
state changes: read-only warehouse credentials are enough, and destination ones are not needed.

No sample record, rejected key or offending value is shown unless --samples asks for it:
rejected rows are counted by a reason that quotes no value. Markdown, for a pull-request
comment, escapes everything it shows and masks quoted text in error messages (a warehouse may
quote a value it could not convert). --samples N adds up to N sample records per operation,
rejected rows' keys and reasons, and in markdown whole error messages: for your terminal, not
for a public comment.

--dbt-state takes a base dbt manifest (its directory, as dbt's --state, or the file): each
sync reading a dbt model says whether the model, or a model or seed it is built from, changed
since (dbt's state:modified+), and a closing line lists those syncs.

Exit status: 0 when every sync could be planned and none is blocked by a safety limit, 1 otherwise.

Examples:
  outflow plan
  outflow plan --format markdown > plan.md
  outflow plan courier-newsletter --samples 3
  outflow plan --json
  outflow plan --format markdown --dbt-state prod-manifest/`

/** Registers `outflow plan [sync...]`. */
export function registerPlan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  withJsonOption(
    program
      .command('plan')
      .description("Show what the working tree's specs would send: per sync, creates, updates, deletes, rejects, API calls and time.")
      .argument('[sync...]', 'sync names (all when none is given)')
      .option('--dir <path>', 'specs directory', 'syncs')
      .option('--format <format>', `output format: ${PLAN_FORMATS.join(', ')} (markdown suits a pull-request comment)`, 'text'),
  )
    .option('--samples <count>', 'sample records per operation and sync; above 0 the output holds model values', '0')
    .option(
      '--dbt-state <path>',
      "a base dbt manifest (directory or file): flag the syncs whose dbt models changed since (dbt's state:modified+)",
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (names: string[], options: PlanOptions) => {
      const format = chooseFormat(options, PLAN_FORMATS)
      const samples = Number(options.samples)
      if (!Number.isInteger(samples) || samples < 0) throw new UsageError(`invalid --samples "${options.samples}": expected a whole number`)
      // Read-only: a plan works with read-only credentials and changes nothing in the warehouse.
      const warehouses = new WarehousePool(process.env, { readOnly: true })
      try {
        const plans = await planOutcomes({ dir: options.dir, syncs: names, samples, dbtState: options.dbtState }, warehouses)
        io.stdout(formatPlan(plans, format, { values: samples > 0 }))
        setExit(plans.outcomes.every((o) => 'plan' in o && o.plan.blocked === undefined) ? EXIT.ok : EXIT.failed)
      } finally {
        await warehouses.closeAll()
      }
    })
}
