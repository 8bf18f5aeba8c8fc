import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { EXAMPLE_SYNCS } from '../pulumi/helpers/example-project.js'
import { runCli } from '../helpers/run-cli.js'

/*
 * What `worker`, `run --temporal` and `schedule --temporal` say before they reach any server: a
 * missing address, a warehouse workers cannot share, a bad option. No Temporal server is needed.
 */

const saved = process.env['TEMPORAL_ADDRESS']
beforeEach(() => {
  delete process.env['TEMPORAL_ADDRESS']
})
afterEach(() => {
  if (saved === undefined) delete process.env['TEMPORAL_ADDRESS']
  else process.env['TEMPORAL_ADDRESS'] = saved
})

describe('Temporal options', () => {
  it('asks for an address when neither --temporal-address nor TEMPORAL_ADDRESS gives one', async () => {
    for (const argv of [
      ['worker', '--dir', EXAMPLE_SYNCS],
      ['run', '--from-dir', EXAMPLE_SYNCS, '--temporal'],
      ['schedule', '--from-dir', EXAMPLE_SYNCS, '--temporal'],
    ]) {
      const outcome = await runCli(...argv)
      expect(outcome.code, argv.join(' ')).toBe(1)
      expect(outcome.stderr).toBe('outflow: no Temporal server given: pass --temporal-address host:port, or set TEMPORAL_ADDRESS\n')
    }
  })

  it('refuses a DuckDB source, which workers on other machines cannot share, naming its file', async () => {
    process.env['TEMPORAL_ADDRESS'] = '127.0.0.1:1'
    for (const argv of [
      ['worker', '--dir', EXAMPLE_SYNCS],
      ['run', '--from-dir', EXAMPLE_SYNCS, '--temporal'],
      ['schedule', '--from-dir', EXAMPLE_SYNCS, '--temporal'],
    ]) {
      const outcome = await runCli(...argv)
      expect(outcome.code, argv.join(' ')).toBe(1)
      expect(outcome.stderr).toMatch(
        /^outflow: source "warehouse" \(.*syncs\/warehouse\.yaml:\d+\): runs on Temporal workers need a warehouse every worker can reach \(PostgreSQL or Snowflake\)/,
      )
    }
  })

  it('checks --pages-at-once', async () => {
    const outcome = await runCli('worker', '--dir', EXAMPLE_SYNCS, '--temporal-address', '127.0.0.1:1', '--pages-at-once', '0')
    expect(outcome.code).toBe(2)
    expect(outcome.stderr).toBe('outflow: invalid --pages-at-once "0": expected a whole number from 1 to 256\n')
  })
})
