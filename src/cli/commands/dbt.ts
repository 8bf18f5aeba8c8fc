import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

import type { Command } from 'commander'

import { assembleDbtExposures, DBT_EXPOSURES_FILE } from '../../dbt/dbt-exposures.js'
import { displayPath, readDbtProject } from '../../dbt/read-dbt-project.js'
import type { SourceSpec, SyncSpec } from '../../model/spec-types.js'
import { dbtLocationKey } from '../../spec/dbt-projects.js'
import { loadValidSpecs } from '../../spec/load-valid-specs.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { plural } from '../plural.js'
import { UsageError } from '../usage-error.js'

interface ExposuresOptions {
  dir: string
  out?: string
  check?: boolean
}

const HELP_AFTER = `
Writes one dbt exposure per sync that reads a dbt model (type application, named
outflow_<sync>, depending on its model, owned by the sync's owner or team label and its
owner-email label), so that dbt docs and \`dbt ls --select +exposure:outflow_<sync>\` show the
syncs downstream of the models. The file goes to the first model path of the Source's dbt
project (${DBT_EXPOSURES_FILE}), or to --out.

With --check, nothing is written: exit 1 when the file is missing or differs (for CI).

Examples:
  outflow dbt exposures
  outflow dbt exposures --dir syncs --check`

/** Registers `outflow dbt exposures`. */
export function registerDbt(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const dbt = program.command('dbt').description('Work with the dbt project whose models the syncs read.')
  dbt
    .command('exposures')
    .description('Write a dbt exposures file with one exposure per sync that reads a dbt model, so dbt lineage shows the syncs.')
    .option('--dir <path>', 'specs directory', 'syncs')
    .option('--out <file>', `where to write (default: <dbt project>/<first model path>/${DBT_EXPOSURES_FILE})`)
    .option('--check', 'write nothing; exit 1 when the file is missing or out of date')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: ExposuresOptions) => {
      const specs = await loadValidSpecs(options.dir)
      const files = await exposureFiles(specs.sources, specs.syncs, options.out)
      let stale = 0
      for (const file of files) {
        const shown = displayPath(file.path)
        const count = plural(file.syncs.length, 'exposure')
        if (options.check === true) {
          const current = await readFile(file.path, 'utf8').catch(() => undefined)
          if (current === file.text) io.stdout(`${shown} is up to date (${count})\n`)
          else {
            stale++
            io.stderr(
              `${shown} is ${current === undefined ? 'missing' : 'out of date'}: run \`outflow dbt exposures --dir ${options.dir}\`\n`,
            )
          }
          continue
        }
        await mkdir(dirname(file.path), { recursive: true })
        await writeFile(file.path, file.text)
        io.stdout(`wrote ${shown}: ${count} (${file.syncs.join(', ')})\n`)
      }
      setExit(stale === 0 ? EXIT.ok : EXIT.failed)
    })
  // Subcommands of `dbt` report through `io` as the top-level commands do.
  for (const command of dbt.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
}

/** An exposures file to write: where, what, and the syncs it exposes. */
interface ExposureFile {
  path: string
  text: string
  syncs: string[]
}

/** One exposures file per dbt project the syncs read models of. */
async function exposureFiles(sources: readonly SourceSpec[], syncs: readonly SyncSpec[], out: string | undefined): Promise<ExposureFile[]> {
  const readers = new Map<string, { source: SourceSpec; syncs: SyncSpec[] }>()
  for (const sync of syncs) {
    const source = sources.find((s) => s.name === sync.source)
    const dbt = source?.connection.dbt
    if (source === undefined || dbt === undefined || !('dbt' in sync.model)) continue
    const key = dbtLocationKey(dbt)
    readers.set(key, { source, syncs: [...(readers.get(key)?.syncs ?? []), sync] })
  }
  if (readers.size === 0) throw new UsageError('no sync reads a dbt model: nothing to expose')
  if (out !== undefined && readers.size > 1)
    throw new UsageError('--out takes one file, and the syncs read the models of several dbt projects')
  const files: ExposureFile[] = []
  for (const { source, syncs: reading } of readers.values()) {
    const project = await readDbtProject(source.connection.dbt ?? {})
    const modelPath = project.modelPaths[0] ?? 'models'
    if (out === undefined && project.dir === undefined) {
      throw new UsageError(`source "${source.name}" gives only the dbt manifest, not the project: say where the exposures go with --out`)
    }
    const path = out === undefined ? join(project.dir ?? '', modelPath, DBT_EXPOSURES_FILE) : resolve(out)
    files.push({ path, text: assembleDbtExposures(reading, project.manifest.projectName), syncs: reading.map((s) => s.name).sort() })
  }
  return files
}
