import { randomBytes } from 'node:crypto'

import { requiredServices } from './required-services.js'

/**
 * The Temporal dev server of this run (OUTFLOW_TEST_TEMPORAL_ADDRESS, printed by
 * `.ci/start-temporal.sh`), or undefined: its suites are then skipped, unless CI requires it.
 */
export function temporalAddress(): string | undefined {
  const address = process.env['OUTFLOW_TEST_TEMPORAL_ADDRESS']
  if (address !== undefined && address !== '') return address
  if (requiredServices().has('temporal'))
    throw new Error('OUTFLOW_TEST_TEMPORAL_ADDRESS is not set, and CI requires the Temporal dev server')
  return undefined
}

/** The directory of the `temporal` CLI (OUTFLOW_TEST_TEMPORAL_BIN), for tests that start a server of their own. */
export function temporalBin(): string | undefined {
  const bin = process.env['OUTFLOW_TEST_TEMPORAL_BIN']
  if (bin !== undefined && bin !== '') return bin
  if (requiredServices().has('temporal')) throw new Error('OUTFLOW_TEST_TEMPORAL_BIN is not set, and CI requires the Temporal CLI')
  return undefined
}

/** A task queue no other test polls: workers of one test never take another's runs. */
export function freshTaskQueue(): string {
  return `outflow-test-${randomBytes(4).toString('hex')}`
}
