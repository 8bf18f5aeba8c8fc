import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import {
  startBrazeEmulator,
  startCourierEmulator,
  startLoopsEmulator,
  type BrazeEmulator,
  type CourierEmulator,
  type LoopsEmulator,
} from '../../../providers/emulators.js'
import { loadValidSpecs } from '../../../src/spec/load-valid-specs.js'
import type { SourceSpec } from '../../../src/model/spec-types.js'
import { openWarehouse } from '../../../src/warehouse/open-warehouse.js'
import type { Row, WarehouseAdapter } from '../../../src/warehouse/warehouse-adapter.js'

/*
 * A user's Pulumi project for Outflow, as the README's quick start has it: Pulumi.yaml, a program
 * of three lines that imports `outflow/pulumi`, and a directory of specs (a DuckDB Source, three
 * Destinations pointed at emulators, three Syncs).
 */

/** The Pulumi project's name: its config keys are `outflow-e2e:<NAME>`. */
export const PROJECT_NAME = 'outflow-e2e'

/**
 * The credentials, planted: recognisable values that must never show up in plaintext in Pulumi's
 * state, its output or the runner's. The emulators accept exactly these.
 */
export const PLANTED_SECRETS = {
  LOOPS_API_KEY: 'planted-loops-key-5d1e7a93c2',
  BRAZE_API_KEY: 'planted-braze-key-0b8f46e2a7',
  COURIER_AUTH_TOKEN: 'planted-courier-token-c39a81f5e0',
} as const

/** The Courier list the `courier-newsletter` sync mirrors its rows into. */
export const NEWSLETTER_LIST = 'newsletter.weekly'

/** The syncs of the project, by name. */
export const SYNC_NAMES = ['braze-users', 'courier-newsletter', 'loops-contacts'] as const
/** Its destinations (one `DestinationConnection` each). */
export const DESTINATION_NAMES = ['braze', 'courier', 'loops'] as const

/** The emulators the project's destinations point at. */
export interface ProjectEmulators {
  loops: LoopsEmulator
  braze: BrazeEmulator
  courier: CourierEmulator
}

/** Starts the three emulators, accepting only the planted credentials, without rate limits. */
export async function startProjectEmulators(): Promise<ProjectEmulators> {
  const [loops, braze, courier] = await Promise.all([
    startLoopsEmulator({
      rateLimit: false,
      apiKeys: [PLANTED_SECRETS.LOOPS_API_KEY],
      mailingLists: [{ id: 'product-updates', name: 'Product updates' }],
    }),
    startBrazeEmulator({ apiKeys: [PLANTED_SECRETS.BRAZE_API_KEY] }),
    startCourierEmulator({ authTokens: [PLANTED_SECRETS.COURIER_AUTH_TOKEN], listWriteLimit: false }),
  ])
  return { loops, braze, courier }
}

/** Stops the emulators that started. */
export async function stopProjectEmulators(emulators: ProjectEmulators | undefined): Promise<void> {
  if (emulators !== undefined) await Promise.all([emulators.loops.stop(), emulators.braze.stop(), emulators.courier.stop()])
}

/** The model: users, three of whom subscribed to the newsletter. */
export const USERS = [
  { user_id: 'u1', email: 'ada@example.com', first_name: 'Ada', plan: 'pro', is_subscribed: true },
  { user_id: 'u2', email: 'grace@example.com', first_name: 'Grace', plan: 'free', is_subscribed: false },
  { user_id: 'u3', email: 'alan@example.com', first_name: 'Alan', plan: 'team', is_subscribed: true },
  { user_id: 'u4', email: 'edsger@example.com', first_name: 'Edsger', plan: 'free', is_subscribed: true },
  { user_id: 'u5', email: 'barbara@example.com', first_name: 'Barbara', plan: 'pro', is_subscribed: false },
] as const

/** Where things are in a project written by {@link writePulumiProject}. */
export interface PulumiProject {
  /** The Pulumi project directory (Pulumi.yaml, index.mjs). */
  dir: string
  /** Its specs directory (`outflow run --dir` takes it). */
  specs: string
  /** The DuckDB warehouse file: the model and the state store. */
  warehouse: string
}

/**
 * Writes the project into `dir` (which must be inside the repository, so that `outflow/pulumi`
 * and `@pulumi/pulumi` resolve from its node_modules, as they do from a user's) and seeds the
 * model in its warehouse, closing the file again: DuckDB lets one process at a time open it.
 */
export async function writePulumiProject(dir: string, emulators: ProjectEmulators): Promise<PulumiProject> {
  const specs = join(dir, 'syncs')
  await mkdir(specs, { recursive: true })
  const files: Record<string, string> = {
    'Pulumi.yaml': `name: ${PROJECT_NAME}\nruntime: nodejs\nmain: index.mjs\ndescription: Outflow syncs, applied with Pulumi\n`,
    'index.mjs': `import { declareOutflow } from 'outflow/pulumi'\n\nconst outflow = await declareOutflow({ dir: 'syncs' })\nexport const syncs = Object.keys(outflow.syncs)\n`,
    'syncs/warehouse.yaml': doc('Source', 'warehouse', '{ type: duckdb, path: ../warehouse.duckdb, memoryLimit: 256MB }'),
    'syncs/destinations.yaml': [
      doc('Destination', 'loops', `{ type: loops, apiKey: { secret: LOOPS_API_KEY }, baseUrl: "${emulators.loops.url}" }`),
      doc('Destination', 'braze', `{ type: braze, restEndpoint: "${emulators.braze.url}", apiKey: { secret: BRAZE_API_KEY } }`),
      doc('Destination', 'courier', `{ type: courier, authToken: { secret: COURIER_AUTH_TOKEN }, baseUrl: "${emulators.courier.url}" }`),
    ].join('---\n'),
    'syncs/loops-contacts.yaml': syncDoc(
      'loops-contacts',
      `
  model: { table: users }
  destination: loops
  object: contact
  behavior: upsert
  key: { column: email, field: email }
  mappings:
    - { column: user_id, field: userId }
    - { column: first_name, field: firstName }
    - { column: plan, field: plan }
  options:
    mailingLists: { product-updates: true }
  schedule: { interval: 1h }`,
    ),
    'syncs/braze-users.yaml': syncDoc(
      'braze-users',
      `
  model: { sql: "select user_id, email, first_name, plan from users" }
  destination: braze
  object: user
  behavior: upsert
  key: { column: user_id, field: external_id }
  mappings:
    - { column: email }
    - { column: first_name }
    - { column: plan }
  schedule: { interval: 30m }`,
    ),
    'syncs/courier-newsletter.yaml': syncDoc(
      'courier-newsletter',
      `
  model: { sql: "select user_id, email, first_name from users where is_subscribed" }
  destination: courier
  object: profileWithList
  behavior: mirror
  key: { column: user_id, field: recipient_id }
  mappings:
    - { column: email }
    - { column: first_name, field: given_name }
  options:
    list: { id: ${NEWSLETTER_LIST}, name: Weekly newsletter }
  schedule: { cron: "0 6 * * *" }`,
    ),
  }
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text)
  const project = { dir, specs, warehouse: join(dir, 'warehouse.duckdb') }
  const values = USERS.map((u) => `('${u.user_id}', '${u.email}', '${u.first_name}', '${u.plan}', ${u.is_subscribed})`).join(', ')
  await withWarehouse(project, async (warehouse) => {
    await warehouse.run({
      sql: 'create table users (user_id varchar, email varchar, first_name varchar, plan varchar, is_subscribed boolean)',
    })
    await warehouse.run({ sql: `insert into users values ${values}` })
  })
  return project
}

/** The project's Source, as the runner and the providers see it. */
export async function projectSource(project: PulumiProject): Promise<SourceSpec> {
  const source = (await loadValidSpecs(project.specs)).sources[0]
  if (source === undefined) throw new Error(`no Source in ${project.specs}`)
  return source
}

/**
 * Opens the project's warehouse for `work` and closes it again (closing the last adapter on a
 * DuckDB file releases it for the `pulumi` and `outflow` processes). Call it only while none runs.
 */
export async function withWarehouse<T>(project: PulumiProject, work: (warehouse: WarehouseAdapter) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse(await projectSource(project), {})
  try {
    return await work(warehouse)
  } finally {
    await warehouse.close()
  }
}

/** Every row of `sql` in the project's warehouse. */
export function queryWarehouse(project: PulumiProject, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  return withWarehouse(project, async (warehouse) => (await warehouse.run({ sql, params })).rows)
}

function doc(kind: string, name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`
}

function syncDoc(name: string, body: string): string {
  return `apiVersion: outflow/v1\nkind: Sync\nmetadata: { name: ${name} }\nspec:\n  source: warehouse${body}\n`
}
