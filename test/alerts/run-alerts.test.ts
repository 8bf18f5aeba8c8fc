import { createHmac } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { planSyncs } from '../../src/api/plan-syncs.js'
import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import { registerSpec } from '../../src/warehouse/state/spec-registry.js'
import { runCli } from '../helpers/run-cli.js'
import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'
import { closedUrl, startAlertReceiver, type AlertReceiver, type ReceivedAlert } from './alert-receiver.js'

/*
 * Alerts through the CLI, as a user gets them: a Braze emulator, an embedded DuckDB warehouse, and
 * a local receiver standing in for Slack and for a webhook, whose URLs come from the environment.
 */

const SLACK_PATH = '/services/T000/B000/slack-secret-path'
const HOOK_PATH = '/outflow-hook'
const SIGNING_SECRET = 'whsec_alerts_test_secret'
/** Model values of the fixture: none may appear in an alert unless `includeValues` asks. */
const MODEL_VALUES = ['u1@example.com', 'u6', 'lots']

let braze: BrazeEmulator
let receiver: AlertReceiver
let dir: string

beforeAll(async () => {
  ;[braze, receiver] = await Promise.all([startBrazeEmulator({ apiKeys: ['braze-test-key'] }), startAlertReceiver()])
})
afterAll(async () => {
  await Promise.all([braze.stop(), receiver.stop()])
})
beforeEach(async () => {
  braze.reset()
  receiver.received.length = 0
  receiver.script([])
  setEnv({
    ALERTS_TEST_BRAZE_KEY: 'braze-test-key',
    ALERTS_TEST_SLACK_URL: `${receiver.url}${SLACK_PATH}`,
    ALERTS_TEST_HOOK_URL: `${receiver.url}${HOOK_PATH}`,
    ALERTS_TEST_SIGNING_SECRET: SIGNING_SECRET,
  })
  dir = await mkdtemp(join(tmpdir(), 'outflow-alerts-'))
  await write('warehouse.yaml', doc('Source', 'warehouse', '{ type: duckdb, path: warehouse.duckdb }'))
  await write(
    'braze.yaml',
    doc('Destination', 'braze', `{ type: braze, restEndpoint: '${braze.url}', apiKey: { secret: ALERTS_TEST_BRAZE_KEY } }`),
  )
  await write('sync.yaml', sync())
  await write('alerts.yaml', alerts())
  await sql(`create table people (id varchar, email varchar, score varchar)`)
  await sql(`insert into people select 'u' || i, 'u' || i || '@example.com', cast(i as varchar) from range(1, 6) t(i)`)
  // One row whose score is no number: rejected before sending, with its key and value in the reason.
  await sql(`insert into people values ('u6', 'u6@example.com', 'lots')`)
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
  for (const name of ['ALERTS_TEST_BRAZE_KEY', 'ALERTS_TEST_SLACK_URL', 'ALERTS_TEST_HOOK_URL', 'ALERTS_TEST_SIGNING_SECRET']) {
    Reflect.deleteProperty(process.env, name)
  }
})

function setEnv(values: Record<string, string>): void {
  Object.assign(process.env, values)
}

function doc(kind: string, name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`
}

function sync(extra = ''): string {
  return `apiVersion: outflow/v1
kind: Sync
metadata: { name: braze-users }
spec:
  source: warehouse
  model: { table: people }
  destination: braze
  object: user
  behavior: mirror
  maxDeletes: 1
  key: { column: id, field: external_id }
  mappings:
    - { column: email }
    - { column: score, type: number }
  alerts: [ops-slack, ops-webhook]
${extra}`
}

function alerts(options: { slackOn?: string; hookOn?: string; hookExtra?: string } = {}): string {
  return `apiVersion: outflow/v1
kind: Alert
metadata: { name: ops-slack }
spec:
  channel: slack
  url: { env: ALERTS_TEST_SLACK_URL }
  on: ${options.slackOn ?? '[failed, partial]'}
---
apiVersion: outflow/v1
kind: Alert
metadata: { name: ops-webhook }
spec:
  channel: webhook
  url: { secret: ALERTS_TEST_HOOK_URL }
  signingSecret: { secret: ALERTS_TEST_SIGNING_SECRET }
  on: ${options.hookOn ?? '[failed, partial, deletes_blocked, drift]'}
${options.hookExtra ?? ''}`
}

async function write(file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text)
}

function sql(statement: string): Promise<void> {
  return sqlOnSpecsWarehouse(dir, statement)
}

function received(path: string): ReceivedAlert[] {
  return receiver.received.filter((r) => r.path === path)
}

/** The receiver's own check of a signed webhook: HMAC-SHA256 of `<timestamp>.<body>`, computed here independently. */
function expectSigned(alert: ReceivedAlert | undefined): void {
  const timestamp = alert?.headers['x-outflow-timestamp'] ?? ''
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60)
  const expected = `sha256=${createHmac('sha256', SIGNING_SECRET)
    .update(`${timestamp}.${alert?.body ?? ''}`)
    .digest('hex')}`
  expect(alert?.headers['x-outflow-signature']).toBe(expected)
}

function expectNoModelValue(alert: ReceivedAlert | undefined): void {
  for (const value of MODEL_VALUES) expect(alert?.body).not.toContain(value)
}

describe('alerts on `outflow run`', () => {
  it('send one Slack message and one signed webhook for a failed run, without model values', async () => {
    setEnv({ ALERTS_TEST_BRAZE_KEY: 'not-the-key' })
    const run = await runCli('run', '--from-dir', dir)
    expect(run.code).toBe(1)
    expect(run.stderr).not.toContain('warning')
    const [slack, ...moreSlack] = received(SLACK_PATH)
    const [hook, ...moreHooks] = received(HOOK_PATH)
    expect([moreSlack, moreHooks]).toEqual([[], []])

    expect(slack?.headers['content-type']).toBe('application/json')
    expect(slack?.json).toMatchObject({
      text: 'braze-users: run failed: DESTINATION_AUTH: the destination refused the credentials; 5 rows not delivered; the next run sends them; 1 row rejected',
      blocks: [{ type: 'section' }, { type: 'section' }, { type: 'context' }],
    })
    expectNoModelValue(slack)

    expect(hook?.headers['x-outflow-event']).toBe('failed')
    expectSigned(hook)
    const body = hook?.json as Record<string, unknown>
    expect(body).toMatchObject({
      version: 1,
      event: 'failed',
      triggers: ['failed'],
      alert: 'ops-webhook',
      sync: 'braze-users',
      source: 'warehouse',
      destination: 'braze',
      object: 'user',
      behavior: 'mirror',
      status: 'failed',
      error: { code: 'DESTINATION_AUTH' },
      counts: { added: 5, rejected: 1, synced: 0 },
    })
    expect(body['id']).toBe(hook?.headers['x-outflow-delivery'])
    expect(body['runId']).toEqual(expect.any(String))
    expect(new Date(String(body['endedAt'])).getTime()).toBeGreaterThanOrEqual(new Date(String(body['startedAt'])).getTime())
    expect(body).not.toHaveProperty('values')
    expectNoModelValue(hook)
  })

  it('send nothing for a run that succeeds, and rejected rows only above the threshold', async () => {
    await write('alerts.yaml', alerts({ hookOn: '[failed, { rejected: { above: "20%" } }]' }))
    const quiet = await runCli('run', '--from-dir', dir)
    expect(quiet.code).toBe(0)
    expect(receiver.received).toEqual([])

    // The first run handled 6 rows and rejected 1 (17%): not above 20%. The next handles only the
    // rejected row again, rejected again (100%): above 10%.
    await write('alerts.yaml', alerts({ hookOn: '[failed, { rejected: { above: "10%" } }]' }))
    const run = await runCli('run', '--from-dir', dir)
    expect(run.code).toBe(0)
    const [hook] = await receiver.waitFor(1, HOOK_PATH)
    expect(hook?.json).toMatchObject({
      event: 'rejected',
      status: 'succeeded',
      rejected: { rows: 1, share: 1, above: '10%', byReason: [{ reason: 'score: a value that is not a number', rows: 1 }] },
      reason: '1 row rejected',
    })
    expectNoModelValue(hook)
  })

  it('carry rejected rows and the recorded reason with includeValues', async () => {
    await write('alerts.yaml', alerts({ hookOn: '[rejected]', hookExtra: '  includeValues: true\n' }))
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    const [hook] = received(HOOK_PATH)
    expect((hook?.json as { values: unknown }).values).toEqual({ rejectedRows: [{ key: 'u6', reason: 'score: "lots" is not a number' }] })
  })

  it('try again when the receiver answers 500, with the same delivery id', async () => {
    setEnv({ ALERTS_TEST_BRAZE_KEY: 'not-the-key' })
    receiver.script([500])
    const run = await runCli('run', '--from-dir', dir)
    expect(run.code).toBe(1)
    // The first alert to arrive got the 500, and came again.
    const [first, second, ...more] = received(receiver.received[0]?.path ?? '')
    expect(more).toEqual([])
    expect(second?.body).toBe(first?.body)
    expect(receiver.received).toHaveLength(3)
    expect(run.stderr).not.toContain('warning')
  })

  it('leave the run as it was when the receiver is down: a warning names the alert, never its URL', async () => {
    setEnv({ ALERTS_TEST_BRAZE_KEY: 'not-the-key' })
    const down = `${await closedUrl()}${HOOK_PATH}`
    setEnv({ ALERTS_TEST_HOOK_URL: down })
    const run = await runCli('run', '--from-dir', dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/failed +braze-users \(braze user, mirror\): 5 added/)
    expect(run.stderr).toContain(
      'warning: alert "ops-webhook" (webhook) for sync "braze-users" (failed): not delivered: no answer (ECONNREFUSED) after 4 tries',
    )
    const port = new URL(down).port
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain(down)
      expect(output).not.toContain(port)
      expect(output).not.toContain(HOOK_PATH)
    }
    expect(received(SLACK_PATH)).toHaveLength(1)
  })

  it('warn, naming the variable and not its value, when an alert URL is not set or not a URL', async () => {
    setEnv({ ALERTS_TEST_BRAZE_KEY: 'not-the-key', ALERTS_TEST_SLACK_URL: 'hooks.slack.example/no-scheme-secret' })
    Reflect.deleteProperty(process.env, 'ALERTS_TEST_SIGNING_SECRET')
    const run = await runCli('run', '--from-dir', dir)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'warning: alert "ops-slack" (slack) for sync "braze-users" (failed): url: the value of ALERTS_TEST_SLACK_URL is not an http or https URL (not shown)',
    )
    expect(run.stderr).toContain(
      'warning: alert "ops-webhook" (webhook) for sync "braze-users" (failed): signingSecret: secret (environment variable) ALERTS_TEST_SIGNING_SECRET is not set',
    )
    expect(run.stderr).not.toContain('no-scheme-secret')
    expect(receiver.received).toEqual([])
  })

  it('say when a mirror is stopped by its delete limits', async () => {
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    await sql(`delete from people where id in ('u1', 'u2', 'u3')`)
    const run = await runCli('run', '--from-dir', dir)
    expect(run.code).toBe(1)
    const [hook] = received(HOOK_PATH)
    expect(hook?.json).toMatchObject({
      event: 'deletes_blocked',
      triggers: ['deletes_blocked', 'failed'],
      error: { code: 'DELETE_LIMIT' },
      reason: 'DELETE_LIMIT: the run would have deleted more than its safety limits allow; nothing was deleted',
    })
    // The Slack alert is not told of deletes_blocked, only of failed runs: it says so.
    expect(received(SLACK_PATH).map((r) => (r.json as { text: string }).text)).toEqual([
      'braze-users: run failed: DELETE_LIMIT: the run would have deleted more than its safety limits allow; nothing was deleted',
    ])
  })
})

describe('alerts on `outflow verify`', () => {
  it('send drift, with counts and no keys', async () => {
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    const deleted = await fetch(`${braze.url}/users/delete`, {
      method: 'POST',
      headers: { authorization: 'Bearer braze-test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ external_ids: ['u3'] }),
    })
    expect(deleted.ok).toBe(true)
    const verify = await runCli('verify', '--from-dir', dir)
    expect(verify.code).toBe(7)
    const [hook, ...more] = received(HOOK_PATH)
    expect(more).toEqual([])
    expectSigned(hook)
    expect(hook?.json).toMatchObject({
      version: 1,
      event: 'drift',
      status: 'drifted',
      runId: null,
      sync: 'braze-users',
      counts: { read: 5, missing: 1, different: 0, stillPresent: 0 },
      reason: '1 record drifted: 1 missing, 0 different, 0 still present after a mirror removed them',
    })
    expect(hook?.body).not.toContain('"u3"')
    expect(received(SLACK_PATH)).toEqual([])
  })
})

describe('alerts as applied', () => {
  it('are part of the registration: a change shows in the plan, and the runner uses the registered ones', async () => {
    const specs = await loadValidSpecs(dir)
    const pool = new WarehousePool({})
    try {
      const [registered, source, destination] = [specs.syncs[0], specs.sources[0], specs.destinations[0]]
      if (registered === undefined || source === undefined || destination === undefined) throw new Error('fixture')
      await registerSpec(await pool.get(source), 'outflow', registered, destination, syncSpecHash(registered))
    } finally {
      await pool.closeAll()
    }
    const registration = async () =>
      (await planSyncs({ fromDir: dir })).syncs.map((s) => [s.registration, 'fullResync' in s && s.fullResync])
    expect(await registration()).toEqual([['unchanged', false]])

    // The working tree's alert now fires on partial runs only: a change of the sync, not a full resync.
    await write('alerts.yaml', alerts({ hookOn: '[partial]' }))
    expect(await registration()).toEqual([['changed', false]])

    // The runner runs what was registered: the webhook still alerts on a failed run.
    setEnv({ ALERTS_TEST_BRAZE_KEY: 'not-the-key' })
    const run = await runCli('run', '--dir', dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('running 1 registered sync')
    expect(received(HOOK_PATH).map((r) => (r.json as { event: string }).event)).toEqual(['failed'])
  })
})
