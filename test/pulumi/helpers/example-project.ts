import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import {
  EMULATOR_DEFAULT_CREDENTIALS,
  startBrazeEmulator,
  startCleverTapEmulator,
  startCourierEmulator,
  startLoopsEmulator,
  type BrazeEmulator,
  type CleverTapEmulator,
  type CourierEmulator,
  type LoopsEmulator,
} from '../../../providers/emulators.js'

/** The example project's directory of specs. */
export const EXAMPLE_SYNCS = fileURLToPath(new URL('../../../syncs', import.meta.url))

/** The four emulators, one per destination of the example project. */
export interface Emulators {
  loops: LoopsEmulator
  braze: BrazeEmulator
  clevertap: CleverTapEmulator
  courier: CourierEmulator
}

/** The config secrets the example project's destinations name, with the values the emulators accept. */
export const EMULATOR_SECRETS: Readonly<Record<string, string>> = {
  LOOPS_API_KEY: EMULATOR_DEFAULT_CREDENTIALS.loops.apiKey,
  BRAZE_API_KEY: EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey,
  CLEVERTAP_PASSCODE: EMULATOR_DEFAULT_CREDENTIALS.clevertap.passcode,
  COURIER_AUTH_TOKEN: EMULATOR_DEFAULT_CREDENTIALS.courier.authToken,
}

/** Starts the emulators without rate limits (these tests count requests, not time); `loopsKeys` replaces Loops' accepted keys. */
export async function startEmulators(loopsKeys?: readonly string[]): Promise<Emulators> {
  const [loops, braze, clevertap, courier] = await Promise.all([
    startLoopsEmulator({ rateLimit: false, ...(loopsKeys === undefined ? {} : { apiKeys: loopsKeys }) }),
    startBrazeEmulator(),
    startCleverTapEmulator(),
    startCourierEmulator({ listWriteLimit: false }),
  ])
  return { loops, braze, clevertap, courier }
}

/** The emulators as a list. */
export function allEmulators({
  loops,
  braze,
  clevertap,
  courier,
}: Emulators): (LoopsEmulator | BrazeEmulator | CleverTapEmulator | CourierEmulator)[] {
  return [loops, braze, clevertap, courier]
}

/** Stops every emulator. */
export async function stopEmulators(emulators: Emulators | undefined): Promise<void> {
  if (emulators !== undefined) await Promise.all(allEmulators(emulators).map((e) => e.stop()))
}

/**
 * Writes a copy of the example project into a new temporary directory: its syncs as they are, its
 * destinations pointed at `emulators` and its warehouse at `warehouse.duckdb` in that directory.
 * Returns the directory; `removeProject` deletes it.
 */
export async function writeExampleProject(emulators: Emulators): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-pulumi-'))
  for (const file of await readdir(EXAMPLE_SYNCS)) {
    if (file !== 'destinations.yaml' && file !== 'warehouse.yaml') await copyFile(join(EXAMPLE_SYNCS, file), join(dir, file))
  }
  await writeFile(join(dir, 'destinations.yaml'), destinationsYaml(emulators))
  await writeFile(
    join(dir, 'warehouse.yaml'),
    'apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: warehouse.duckdb, memoryLimit: 256MB }\n',
  )
  return dir
}

/** Deletes a project written by {@link writeExampleProject}. */
export async function removeProject(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
}

function destinationsYaml({ loops, braze, clevertap, courier }: Emulators): string {
  const accountId = EMULATOR_DEFAULT_CREDENTIALS.clevertap.accountId
  return [
    `metadata: { name: loops }\nspec: { type: loops, apiKey: { secret: LOOPS_API_KEY }, baseUrl: "${loops.url}" }`,
    `metadata: { name: braze }\nspec: { type: braze, restEndpoint: "${braze.url}", apiKey: { secret: BRAZE_API_KEY } }`,
    `metadata: { name: clevertap }\nspec: { type: clevertap, accountId: ${accountId}, passcode: { secret: CLEVERTAP_PASSCODE }, region: eu1, baseUrl: "${clevertap.url}" }`,
    `metadata: { name: courier }\nspec: { type: courier, authToken: { secret: COURIER_AUTH_TOKEN }, baseUrl: "${courier.url}" }`,
  ]
    .map((document) => `apiVersion: outflow/v1\nkind: Destination\n${document}\n`)
    .join('---\n')
}
