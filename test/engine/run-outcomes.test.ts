import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { main } from '../../src/cli/main.js'
import { EMULATOR_DEFAULT_CREDENTIALS, startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { SyncWorkspace, syncYaml } from './helpers/sync-workspace.js'

/*
 * What a run says of itself: a run that keeps failing for one cause stops early and says why,
 * and `plan` and `run` count each row once, in the same category.
 */

let braze: BrazeEmulator
let workspace: SyncWorkspace

beforeAll(async () => {
  braze = await startBrazeEmulator()
  workspace = await SyncWorkspace.create(
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: RO_BRAZE } }\n`,
    { RO_BRAZE: EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey },
  )
  await workspace.write('users.yaml', brazeSync('upsert'))
  process.env['RO_BRAZE'] = EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey
})
afterAll(async () => {
  await workspace.dispose()
  await braze.stop()
  delete process.env['RO_BRAZE']
})
beforeEach(async () => {
  braze.reset()
  await workspace.sql('drop schema if exists outflow cascade')
})

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  if (stdout === '') throw new Error(`outflow ${argv.join(' ')} printed nothing; stderr: ${stderr}`)
  return { code, stdout }
}

describe('a vendor that keeps answering 429', () => {
  it('stops the run after --max-consecutive-failures requests, as partial with that cause; the next run sends the rows', async () => {
    await workspace.sql(
      `create or replace table people as select 'u' || i as id, 'u' || i || '@example.com' as email, i as score from range(1, 301) t(i)`,
    )
    // Under the two-minute ceiling, so every batch would wait and retry six times without the breaker.
    braze.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 30, match: { path: '/users/track' }, count: 10_000 }])
    const run = await cli('run', '--from-dir', workspace.dir, '--json', '--max-consecutive-failures', '3')
    expect(run.code).toBe(1)
    const [result] = (JSON.parse(run.stdout) as { results: Record<string, unknown>[] }).results
    expect(result).toMatchObject({ status: 'partial', counts: { added: 300, synced: 0, failed: 300 } })
    expect(result?.['reason']).toMatch(/^stopped after 3 requests in a row failed for the same cause \(rate_limited\)/)
    // Only the first wave of batches was sent: the breaker stopped the waits and every later batch.
    const tracks = braze.requests().filter((r) => r.path === '/users/track')
    expect(tracks.length).toBeLessThanOrEqual(300 / 75)
    const status = await cli('status', '--from-dir', workspace.dir)
    expect(status.stdout).toMatch(
      /last run: partial at .*\(\d+ requests, \d+ retries, [1-9]\d* answered 429\)\n {2}why: stopped after 3 requests in a row failed for the same cause \(rate_limited\)/,
    )

    braze.setFaults([])
    const again = await cli('run', '--from-dir', workspace.dir, '--json')
    expect(again.code).toBe(0)
    expect(braze.state().users).toHaveLength(300)
  })
})

describe('plan and run', () => {
  it('count every row once, in the same category, and tell rows retried after a refusal from new ones', async () => {
    // Six good rows, a key shared by two rows, a null key, and a score that is not a number.
    await workspace.sql(`create or replace table people as
      select 'u' || i as id, 'u' || i || '@example.com' as email, cast(i as varchar) as score from range(1, 7) t(i)
      union all select 'dup', 'a@example.com', '1' union all select 'dup', 'b@example.com', '2'
      union all select null, 'nobody@example.com', '3' union all select 'bad', 'bad@example.com', 'abc'`)
    const plan = await planOf()
    expect(plan).toMatchObject({ create: 6, update: 0, delete: 0, retry: 0, reject: 4 })
    // Every refusal is counted by a reason that quotes no value (the public comment shows these).
    expect(plan['rejectedByReason']).toEqual([
      { reason: 'duplicate key', rows: 2 },
      { reason: 'null key', rows: 1 },
      { reason: expect.stringMatching(/^score: a value that is not a number/) as unknown, rows: 1 },
    ])
    const first = await runOf()
    expect(first.counts).toMatchObject({ added: 6, changed: 0, retried: 0, rejected: 4, synced: 6 })

    await workspace.sql(`update people set score = '7' where id = 'bad'`)
    await workspace.sql(`update people set email = 'u1@example.org' where id = 'u1'`)
    expect(await planOf()).toMatchObject({ create: 0, update: 1, retry: 1, reject: 3 })
    const second = await runOf()
    expect(second.counts).toMatchObject({ added: 0, changed: 1, retried: 1, rejected: 3, synced: 2 })
    expect(
      braze
        .state()
        .users.map((u) => u.external_id)
        .sort(),
    ).toEqual(['bad', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6'])
  })
})

describe('mirror deletes at Braze', () => {
  it("go in batches of /users/delete's own 50 ids: 500 removals are 10 requests, as the plan says", async () => {
    await workspace.write('users.yaml', brazeSync('mirror', 'maxDeletes: 100%'))
    try {
      await workspace.sql(
        `create or replace table people as select 'u' || i as id, 'u' || i || '@example.com' as email, i as score from range(1, 601) t(i)`,
      )
      expect((await runOf()).counts).toMatchObject({ added: 600, synced: 600 })
      await workspace.sql(`delete from people where score > 100`)
      expect(await planOf()).toMatchObject({ delete: 500, batches: 10, requests: { delete: 10 } })
      braze.reset()
      expect((await runOf()).counts).toMatchObject({ removed: 500, synced: 500 })
      expect(braze.requests().filter((r) => r.path === '/users/delete')).toHaveLength(10)
      expect(braze.state().users).toHaveLength(0)
    } finally {
      await workspace.write('users.yaml', brazeSync('upsert'))
    }
  })
})

function brazeSync(behavior: string, extra = ''): string {
  return syncYaml(
    'braze-users',
    `source: warehouse\nmodel: { table: people }\ndestination: braze\nobject: user\nbehavior: ${behavior}\nkey: { column: id, field: external_id }\nmappings:\n  - { column: email }\n  - { column: score, type: number }\n${extra}`,
  )
}

async function planOf(): Promise<Record<string, unknown>> {
  const plan = await cli('plan', '--dir', workspace.dir, '--format', 'json')
  const report = JSON.parse(plan.stdout) as { syncs: Record<string, unknown>[] }
  return report.syncs[0] ?? {}
}

async function runOf(): Promise<{ counts: Record<string, number> }> {
  const run = await cli('run', '--from-dir', workspace.dir, '--json')
  const [result] = (JSON.parse(run.stdout) as { results: { counts: Record<string, number> }[] }).results
  if (result === undefined) throw new Error(run.stdout)
  return result
}
