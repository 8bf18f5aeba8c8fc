import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

import { startLoopsEmulator, type LoopsEmulator } from '../../providers/emulators.js'
import { syncYaml } from '../engine/helpers/sync-workspace.js'
import { runCli } from '../helpers/run-cli.js'
import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'

/*
 * A destination's `maxRequestsPerSecond`, through the commands a user runs: `outflow plan`
 * estimates at the lower rate, `outflow run` keeps to it against a Loops emulator whose limit is
 * lowered (as when another tool shares the key), and `outflow validate` refuses a wrong value.
 */

/** The emulator's limit, below Loops' documented 10 a second, and the cap the capped destination sets. */
const RATE = 5
const CONTACTS = 20
const LOOPS_KEY = 'loops-rate-cap-key'

let loops: LoopsEmulator
let dir: string

beforeAll(async () => {
  loops = await startLoopsEmulator({ apiKeys: [LOOPS_KEY], rateLimit: { limit: RATE, windowMs: 1000 }, requestLogSize: 1000 })
})
afterAll(() => loops.stop())
beforeEach(async () => {
  loops.reset()
  vi.stubEnv('RATE_CAP_LOOPS_KEY', LOOPS_KEY)
  vi.stubEnv('RATE_CAP_CT_PASSCODE', 'clevertap-test-passcode')
  dir = await mkdtemp(join(tmpdir(), 'outflow-rate-cap-'))
  await write(
    'warehouse.yaml',
    'apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: warehouse.duckdb }\n',
  )
  await write(
    'destinations.yaml',
    [
      destination('loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: RATE_CAP_LOOPS_KEY } }`),
      destination(
        'loops-capped',
        `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: RATE_CAP_LOOPS_KEY }, maxRequestsPerSecond: ${RATE} }`,
      ),
      destination('clevertap', `{ type: clevertap, accountId: TEST-ACCOUNT, passcode: { secret: RATE_CAP_CT_PASSCODE }, region: eu1 }`),
      destination(
        'clevertap-capped',
        `{ type: clevertap, accountId: TEST-ACCOUNT, passcode: { secret: RATE_CAP_CT_PASSCODE }, region: eu1, maxRequestsPerSecond: 0.5 }`,
      ),
    ].join('---\n'),
  )
  await sqlOnSpecsWarehouse(
    dir,
    `create table people as select 'p' || i as id, 'p' || i || '@example.com' as email from range(1, ${CONTACTS + 1}) t(i)`,
  )
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await rm(dir, { recursive: true, force: true })
})

function destination(name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: ${name} }\nspec: ${spec}\n`
}

/** A sync of every row of `model` to `object`, upserted. */
function upsertSync(name: string, destinationName: string, model: string, object: string, key: string): string {
  return syncYaml(
    name,
    `source: warehouse\nmodel: ${model}\ndestination: ${destinationName}\nobject: ${object}\nbehavior: upsert\nkey: ${key}`,
  )
}

const contactsSync = (name: string, destinationName: string) =>
  upsertSync(name, destinationName, '{ table: people }', 'contact', '{ column: email, field: email }')

const profilesSync = (name: string, destinationName: string) =>
  upsertSync(
    name,
    destinationName,
    `{ sql: "select 'u' || i as id from range(1, 2501) t(i)" }`,
    'profile',
    '{ column: id, field: identity }',
  )

async function write(file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text)
}

/** `outflow run <sync> --json`: the sync's result. */
async function runOne(sync: string): Promise<{ status: string; counts: Record<string, number> }> {
  const run = await runCli('run', sync, '--from-dir', dir, '--json')
  const [result] = (JSON.parse(run.stdout) as { results: { status: string; counts: Record<string, number> }[] }).results
  if (result === undefined) throw new Error(run.stdout + run.stderr)
  return result
}

const refused = () => loops.requests().filter((request) => request.status === 429).length

describe('a destination with maxRequestsPerSecond', () => {
  it('makes outflow plan estimate the time at the lower rate', async () => {
    await write('contacts.yaml', contactsSync('contacts', 'loops'))
    await write('contacts-capped.yaml', contactsSync('contacts-capped', 'loops-capped'))
    await write('profiles.yaml', profilesSync('profiles', 'clevertap'))
    await write('profiles-capped.yaml', profilesSync('profiles-capped', 'clevertap-capped'))

    const plan = await runCli('plan', '--dir', dir, '--format', 'json')
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
    const syncs = (JSON.parse(plan.stdout) as { syncs: { sync: string; requests: object; estimatedSeconds?: number }[] }).syncs
    const bySync = Object.fromEntries(syncs.map((s) => [s.sync, s]))
    // 20 contacts are 20 requests: 2 s at Loops' 10 a second, 4 s at 5.
    expect(bySync['contacts']).toMatchObject({ requests: { default: CONTACTS }, estimatedSeconds: 2 })
    expect(bySync['contacts-capped']).toMatchObject({ requests: { default: CONTACTS }, estimatedSeconds: 4 })
    // CleverTap limits uploads by concurrency only; a cap paces them too: 3 uploads at one every 2 s.
    expect(bySync['profiles']).toMatchObject({ requests: { upload: 3 } })
    expect(bySync['profiles']?.estimatedSeconds).toBeUndefined()
    expect(bySync['profiles-capped']).toMatchObject({ requests: { upload: 3 }, estimatedSeconds: 6 })

    const text = await runCli('plan', 'contacts-capped', '--dir', dir)
    expect(text.stdout).toContain(`${CONTACTS} batches, ${CONTACTS} default requests, about 4.0 s at the rate limit`)
  })

  it('keeps outflow run under an emulator limit that the documented one would exceed', async () => {
    await write('contacts.yaml', contactsSync('contacts', 'loops'))
    await write('contacts-capped.yaml', contactsSync('contacts-capped', 'loops-capped'))

    const started = Date.now()
    const capped = await runOne('contacts-capped')
    expect(capped).toMatchObject({ status: 'succeeded', counts: { added: CONTACTS, synced: CONTACTS, failed: 0 } })
    expect(refused()).toBe(0)
    expect(loops.state().contacts).toHaveLength(CONTACTS)
    // Every request but the emulator's first burst waited its turn at 5 a second.
    const requests = loops.requests().length
    expect(Date.now() - started).toBeGreaterThanOrEqual(((requests - RATE) / RATE) * 1000 * 0.9)

    // A new cap is a connection setting: the next run resends nothing.
    await write(
      'destinations.yaml',
      destination(
        'loops-capped',
        `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: RATE_CAP_LOOPS_KEY }, maxRequestsPerSecond: 2 }`,
      ) +
        '---\n' +
        destination('loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: RATE_CAP_LOOPS_KEY } }`),
    )
    const replan = await runCli('plan', 'contacts-capped', '--dir', dir, '--format', 'json')
    expect(JSON.parse(replan.stdout)).toMatchObject({ syncs: [{ fullResync: false, create: 0, update: 0, delete: 0, batches: 0 }] })

    // The same contacts at Loops' documented 10 a second meet the emulator's 429s.
    loops.reset()
    await runOne('contacts')
    expect(refused()).toBeGreaterThan(0)
  }, 60_000)

  it('is refused by outflow validate at its line when not a positive number up to 100000', async () => {
    await write(
      'bad.yaml',
      [
        destination('too-low', `{ type: loops, apiKey: { secret: RATE_CAP_LOOPS_KEY }, maxRequestsPerSecond: 0 }`),
        destination(
          'too-high',
          `\n  type: braze\n  restEndpoint: https://rest.iad-01.braze.com\n  apiKey: { secret: K }\n  maxRequestsPerSecond: 250000`,
        ),
        destination('not-a-number', `{ type: courier, authToken: { secret: K }, maxRequestsPerSecond: fast }`),
      ].join('---\n'),
    )
    const result = await runCli('validate', join(dir, 'bad.yaml'))
    expect(result.code).toBe(1)
    const file = join(dir, 'bad.yaml')
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `${file}:4:84  /spec/maxRequestsPerSecond  must be above 0, not 0`,
      `${file}:13:25  /spec/maxRequestsPerSecond  must be at most 100000, not 250000`,
      `${file}:18:72  /spec/maxRequestsPerSecond  must be a number, not a string`,
      `${file}: 3 errors in 1 file`,
    ])
  })
})
