import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

import type { DestinationSpec, SourceSpec, SyncSpec } from '../../../src/model/spec-types.js'
import type { RegisteredSpec } from '../../../src/warehouse/state/spec-registry.js'

const PROBE = fileURLToPath(new URL('state-store-probe.ts', import.meta.url))

async function probe(command: string, argument: object): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', PROBE, command, JSON.stringify(argument)])
  return stdout
}

/**
 * A state store seen from outside the test process (see state-store-probe.ts): what the runner,
 * or someone editing the warehouse by hand, would see and do. Call it only while no provider host
 * runs: DuckDB lets one process at a time open a file.
 */
export const stateStoreOf = (source: SourceSpec) => ({
  async list(): Promise<RegisteredSpec[]> {
    return JSON.parse(await probe('list', { source })) as RegisteredSpec[]
  },
  async register(sync: SyncSpec, destination: DestinationSpec, specHash: string): Promise<void> {
    await probe('register', { source, sync, destination, specHash })
  },
  async unregister(name: string): Promise<void> {
    await probe('unregister', { source, name })
  },
  /** Every stored value of the registrations, as text. */
  async dump(): Promise<string> {
    return probe('dump', { source })
  },
})
