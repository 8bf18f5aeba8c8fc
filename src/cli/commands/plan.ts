import type { Command } from 'commander'

import { canonicalJson } from '../../canonical-json.js'
import { planSyncs } from '../../engine/plan-syncs.js'
import { registeredSyncs } from '../../engine/registered-syncs.js'
import { runnablesOf, type RunnableSync } from '../../engine/runnable-sync.js'
import { WarehousePool } from '../../engine/warehouse-pool.js'
import { loadValidSpecs } from '../../spec/load-valid-specs.js'
import { didYouMean } from '../../util/suggest.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { formatPlan, PLAN_FORMATS, type PlanFormat } from '../format-plan.js'
import type { Registration } from '../plan-report.js'
import { UsageError } from '../usage-error.js'

interface PlanOptions {
  dir: string
  format: string
  samples: string
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

Exit status: 0 when every sync could be planned and none is blocked by a safety limit, 1 otherwise.

Examples:
  outflow plan
  outflow plan --format markdown > plan.md
  outflow plan courier-newsletter --samples 3`

/** Registers `outflow plan [sync...]`. */
export function registerPlan(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description("Show what the working tree's specs would send: per sync, creates, updates, deletes, rejects, API calls and time.")
    .argument('[sync...]', 'sync names (all when none is given)')
    .option('--dir <path>', 'specs directory', 'syncs')
    .option('--format <format>', `output format: ${PLAN_FORMATS.join(', ')} (markdown suits a pull-request comment)`, 'text')
    .option('--samples <count>', 'sample records per operation and sync; above 0 the output holds model values', '0')
    .addHelpText('after', HELP_AFTER)
    .action(async (names: string[], options: PlanOptions) => {
      const format = parseFormat(options.format)
      const samples = Number(options.samples)
      if (!Number.isInteger(samples) || samples < 0) throw new UsageError(`invalid --samples "${options.samples}": expected a whole number`)
      // Read-only: a plan works with read-only credentials and changes nothing in the warehouse.
      const warehouses = new WarehousePool(process.env, { readOnly: true })
      try {
        const specs = await loadValidSpecs(options.dir)
        const syncs = pick(runnablesOf(specs), names)
        const registered = await registeredSyncs(specs.sources, warehouses)
        const outcomes = await planSyncs(syncs, { warehouses, samples })
        const report = {
          outcomes: outcomes.map((o) => ({ ...o, registration: registration(o.runnable, registered) })),
          removed:
            names.length > 0
              ? []
              : registered
                  .filter((r) => !syncs.some((s) => s.sync.name === r.sync.name))
                  .map((r) => ({ sync: r.sync.name, destination: r.destination.name })),
        }
        io.stdout(formatPlan(report, format, { values: samples > 0 }))
        setExit(outcomes.every((o) => 'plan' in o && o.plan.blocked === undefined) ? EXIT.ok : EXIT.failed)
      } finally {
        await warehouses.closeAll()
      }
    })
}

function parseFormat(value: string): PlanFormat {
  if ((PLAN_FORMATS as readonly string[]).includes(value)) return value as PlanFormat
  throw new UsageError(`unknown --format "${value}": expected ${PLAN_FORMATS.join(', ')}`)
}

function pick(all: RunnableSync[], names: readonly string[]): RunnableSync[] {
  for (const name of names) {
    if (!all.some((r) => r.sync.name === name)) {
      const known = all.map((r) => r.sync.name)
      throw new UsageError(`no sync named "${name}"${didYouMean(name, known) || ` (defined: ${known.join(', ')})`}`)
    }
  }
  return names.length === 0 ? all : all.filter((r) => names.includes(r.sync.name))
}

/** Compares a working-tree sync with its registration; where a spec was written (file, line) does not count. */
function registration(runnable: RunnableSync, registered: readonly RunnableSync[]): Registration {
  const applied = registered.find((r) => r.sync.name === runnable.sync.name)
  if (applied === undefined) return 'new'
  const comparable = (r: RunnableSync) =>
    canonicalJson({ sync: { ...r.sync, origin: undefined }, destination: { ...r.destination, origin: undefined } })
  return comparable(applied) === comparable(runnable) ? 'unchanged' : 'changed'
}
