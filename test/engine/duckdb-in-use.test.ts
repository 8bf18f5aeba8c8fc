import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { CliProcess, waitUntil, type CliExit } from './helpers/cli-process.js'
import { DuckdbFile, withDuckdbFile } from './helpers/duckdb-file.js'
import { SyncWorkspace, syncYaml } from './helpers/sync-workspace.js'

/*
 * DuckDB lets one process at a time open a database file, and a run keeps its warehouse open
 * until it ends. A second run, `status` or `rejected` started meanwhile, each a process of its
 * own as in a cron job or a second terminal, must say so plainly: runs skip, as for a held lease.
 */

const KEY = 'braze-in-use-key'
/** 27 batches of 75 at Braze, 8 in flight: four rounds of requests. */
const ROWS = 2000

let braze: BrazeEmulator
let workspace: SyncWorkspace
const warehouseFile = () => join(workspace.dir, 'warehouse.duckdb')
const run = (...args: string[]) => CliProcess.run(args, workspace.credentials)

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: [KEY] })
})
afterAll(() => braze.stop())
beforeEach(async () => {
  braze.reset()
  workspace = await SyncWorkspace.create(
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: BRAZE_KEY } }\n`,
    { BRAZE_KEY: KEY },
  )
  await workspace.write(
    'users.yaml',
    syncYaml(
      'braze-users',
      `
source: warehouse
model: { table: people }
destination: braze
object: user
behavior: upsert
key: { column: id, field: external_id }
mappings:
  - { column: email }`,
    ),
  )
  await withDuckdbFile(warehouseFile(), (db) =>
    db.sql(`create table people as select 'u' || i as id, 'u' || i || '@example.com' as email from range(1, ${String(ROWS + 1)}) t(i)`),
  )
})
afterEach(() => workspace.dispose())

/** What every command says of the file, with the id of the process that holds it. */
const inUse = (pid: number | undefined) =>
  `source "warehouse": the DuckDB file ${warehouseFile()} is in use by another process (PID ${String(pid)})`

function expectNoDriverText(exit: CliExit): void {
  expect(exit.stdout + exit.stderr).not.toMatch(/IO Error|Could not set lock|Conflicting lock/)
}

describe('a DuckDB file another outflow run holds', () => {
  it(
    'skips a second run (exit 0); status and rejected say a sync is running (exit 1); the first run ends well',
    { timeout: 60_000 },
    async () => {
      // Every Braze request waits 6 s, until the faults are cleared: the first run holds the file
      // for four rounds of that (24 s), while the other processes start and stop.
      braze.setFaults([{ kind: 'delay', ms: 6000, probability: 1, match: { path: '/users/track' } }])
      const first = CliProcess.start(['run', '--from-dir', workspace.dir], workspace.credentials)
      await waitUntil(() => braze.requests().length > 0, 'the first run to send', first)
      const holder = first.child.pid

      const second = await run('run', '--from-dir', workspace.dir)
      expect(second.code).toBe(0)
      expect(second.stdout).toContain(`skipped   braze-users (braze user, upsert): skipped, ${inUse(holder)}\n`)
      expect(second.stdout).toContain('1 sync: 0 succeeded, 0 partial, 0 failed, 1 skipped; 0 records synced')
      expectNoDriverText(second)

      // The registered syncs are listed in the held file: none can be chosen, so all are skipped.
      const registered = await run('run', '--dir', workspace.dir, '--json')
      expect(registered.code).toBe(0)
      expect(JSON.parse(registered.stdout)).toEqual({ version: 1, command: 'run', dryRun: false, results: [], skipped: inUse(holder) })

      for (const command of [
        ['status', '--from-dir', workspace.dir],
        ['rejected', 'braze-users', '--from-dir', workspace.dir],
      ]) {
        const read = await run(...command)
        expect(read.code, command[0]).toBe(1)
        expect(read.stderr).toBe(
          `outflow: cannot read the state store: ${inUse(holder)}, most likely a running sync (\`outflow run\` keeps the file open until it ends); try again when it has finished\n`,
        )
        expect(read.stdout).toBe('')
        expectNoDriverText(read)
      }

      braze.setFaults([])
      const ended = await first.exited
      expect(ended.code, ended.stdout + ended.stderr).toBe(0)
      expect(ended.stdout).toContain('1 sync: 1 succeeded')
      expect(braze.state().users).toHaveLength(ROWS)
      const status = await run('status', '--from-dir', workspace.dir)
      expect(status.code).toBe(0)
      expect(status.stdout).toContain(`-> ${String(ROWS)} synced`)
    },
  )
})

describe('outflow run --wait', () => {
  it('waits for the file, and runs once the process holding it lets go', async () => {
    const held = await DuckdbFile.open(warehouseFile())
    let released = false
    try {
      const gaveUp = await run('run', '--from-dir', workspace.dir, '--wait', '1')
      expect(gaveUp.code).toBe(0)
      expect(gaveUp.stdout).toContain(`skipped, ${inUse(process.pid)} (waited 1 s)\n`)

      const waiting = CliProcess.start(['run', '--from-dir', workspace.dir, '--wait', '60', '--json'], workspace.credentials)
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(waiting.child.exitCode).toBeNull()
      held.close()
      released = true
      const ran = await waiting.exited
      expect(ran.code, ran.stderr).toBe(0)
      const [result] = (JSON.parse(ran.stdout) as { results: { status: string; counts: { synced: number } }[] }).results
      expect(result).toMatchObject({ status: 'succeeded', counts: { synced: ROWS } })
    } finally {
      if (!released) held.close()
    }
  })

  it('refuses a wait that is not a number of seconds (exit 2)', async () => {
    const refused = await run('run', '--from-dir', workspace.dir, '--wait', 'soon')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('invalid --wait "soon": expected seconds (0 or more)')
  })
})
