import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import type { RunnableSync } from '../src/engine/runnable-sync.js'
import { runnablesOf } from '../src/engine/runnable-sync.js'
import { EMULATOR_DEFAULT_CREDENTIALS } from '../providers/emulators.js'
import { loadValidSpecs } from '../src/spec/load-valid-specs.js'

/** The destinations the sync benchmark drives, each through its emulator. */
export type BenchTarget = 'loops' | 'braze' | 'clevertap'

/** Where the model lives: the same `bench.users` table the diff benchmark builds (diff-bench-data.ts). */
export const MODEL_SCHEMA = 'bench'

/** Where the runner keeps the sync's state: the Source's default `stateSchema`. */
export const STATE_SCHEMA = 'outflow'

/** The secrets the specs reference, set to the emulators' default credentials. */
export const BENCH_CREDENTIALS: Record<string, string> = {
  LOOPS_API_KEY: EMULATOR_DEFAULT_CREDENTIALS.loops.apiKey,
  BRAZE_API_KEY: EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey,
  CLEVERTAP_PASSCODE: EMULATOR_DEFAULT_CREDENTIALS.clevertap.passcode,
}

/** How the Braze sync writes users: `update` changes known users only, `upsert` creates the missing ones. */
export type BrazeBenchBehavior = 'update' | 'upsert'

/** A spec directory with one DuckDB source, one destination and one sync, as `outflow run --from-dir` reads it. */
export interface BenchWorkspace {
  /** Holds the YAML files and the DuckDB file. */
  dir: string
  target: BenchTarget
  memoryLimit: string
  /**
   * The Braze sync's behavior; other targets have one each.
   * @default 'update'
   */
  brazeBehavior?: BrazeBenchBehavior
}

export const warehousePath = (workspace: BenchWorkspace) => join(workspace.dir, 'warehouse.duckdb')

/**
 * Writes the specs, with the destination pointed at `url` (the emulator's port changes from run
 * to run), and loads them back through validation: the runner gets what a user's files give it.
 */
export async function loadBenchSync(workspace: BenchWorkspace, url: string): Promise<RunnableSync> {
  const specs = join(workspace.dir, 'specs')
  await mkdir(specs, { recursive: true })
  await writeFile(
    join(specs, 'warehouse.yaml'),
    document('Source', 'warehouse', `type: duckdb\npath: ${warehousePath(workspace)}\nmemoryLimit: ${workspace.memoryLimit}`),
  )
  await writeFile(join(specs, 'destination.yaml'), document('Destination', workspace.target, DESTINATIONS[workspace.target](url)))
  const sync = workspace.target === 'braze' ? brazeSync(workspace.brazeBehavior ?? 'update') : SYNCS[workspace.target]
  await writeFile(join(specs, 'sync.yaml'), document('Sync', `bench-${workspace.target}`, sync))
  const [runnable] = runnablesOf(await loadValidSpecs(specs))
  if (runnable === undefined) throw new Error('the benchmark specs hold no runnable sync')
  return runnable
}

const DESTINATIONS: Record<BenchTarget, (url: string) => string> = {
  loops: (url) => `type: loops\nbaseUrl: ${url}\napiKey: { secret: LOOPS_API_KEY }`,
  braze: (url) => `type: braze\nrestEndpoint: ${url}\napiKey: { secret: BRAZE_API_KEY }`,
  clevertap: (url) =>
    `type: clevertap\naccountId: ${EMULATOR_DEFAULT_CREDENTIALS.clevertap.accountId}\nregion: eu1\nbaseUrl: ${url}\npasscode: { secret: CLEVERTAP_PASSCODE }`,
}

/**
 * The syncs of Loops and CleverTap. Loops, one request per contact, sends three fields (one a
 * custom property `prepare` creates). CleverTap profiles can only be upserted.
 */
const SYNCS: Record<Exclude<BenchTarget, 'braze'>, string> = {
  loops: `source: warehouse
model: { table: ${MODEL_SCHEMA}.users }
destination: loops
object: contact
behavior: upsert
key: { column: email, field: email }
mappings:
  - { column: first_name, field: firstName }
  - { column: last_name, field: lastName }
  - { column: plan, field: plan }`,
  clevertap: `source: warehouse
model: { table: ${MODEL_SCHEMA}.users }
destination: clevertap
object: profile
behavior: upsert
key: { column: user_id, field: identity }
mappings:
  - { allColumns: true }`,
}

/**
 * The Braze sync. The initial, incremental and naive figures write users with `update`, which sets
 * `_update_existing_only`: Braze answers as for any write and the emulator stores nobody, so those
 * figures time the runner against an emulator that stays the same size. The upsert figure creates
 * every user, so by its end the emulator holds, and looks users up among, the whole model.
 */
function brazeSync(behavior: BrazeBenchBehavior): string {
  return `source: warehouse
model: { table: ${MODEL_SCHEMA}.users }
destination: braze
object: user
behavior: ${behavior}
key: { column: user_id, field: external_id }
mappings:
  - { allColumns: true }`
}

function document(kind: string, name: string, spec: string): string {
  const indented = spec
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
  return `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec:\n${indented}\n`
}
