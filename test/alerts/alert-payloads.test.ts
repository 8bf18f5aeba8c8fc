import { describe, expect, it } from 'vitest'

import { assembleDriftEvent, assembleRunEvent } from '../../src/alerts/alert-event.js'
import type { RunOutcome } from '../../src/alerts/alert-outcomes.js'
import { assembleAlertPost } from '../../src/alerts/alert-request.js'
import { signAlert, verifyAlertSignature } from '../../src/alerts/alert-signature.js'
import { runTriggers } from '../../src/alerts/run-triggers.js'
import { assembleSlackMessage } from '../../src/alerts/slack-message.js'
import { assembleWebhookBody } from '../../src/alerts/webhook-body.js'
import type { SyncAlert } from '../../src/model/alert.js'

/*
 * The pure parts of an alert: which triggers a run meets, and what the Slack message and the
 * webhook body say, with and without model values.
 */

const SYNC = { name: 'braze-users', source: 'warehouse', destination: 'braze', object: 'user', behavior: 'mirror' as const }
const ENDED = new Date('2026-12-03T10:00:05.000Z')

function alert(overrides: Partial<SyncAlert> = {}): SyncAlert {
  return { name: 'ops', channel: 'webhook', url: { env: 'URL' }, on: ['failed', 'partial'], includeValues: false, ...overrides }
}

function run(overrides: Partial<RunOutcome> = {}, counts: Partial<RunOutcome['counts']> = {}): RunOutcome {
  return {
    status: 'succeeded',
    runId: 'run-1',
    fullResync: false,
    durationMs: 5000,
    counts: { added: 10, changed: 0, removed: 0, retried: 0, synced: 10, rejected: 0, failed: 0, unknown: 0, baselined: 0, ...counts },
    ...overrides,
  }
}

const FAILED = run({
  status: 'failed',
  error: { code: 'WAREHOUSE_QUERY_FAILED', message: "Conversion Error: Could not convert string 'ada@example.com' to INT32" },
  reason: "WAREHOUSE_QUERY_FAILED: Conversion Error: Could not convert string 'ada@example.com' to INT32",
})

describe('runTriggers', () => {
  it('meets failed and partial by status, most specific first', () => {
    expect(runTriggers(alert(), FAILED)).toEqual(['failed'])
    expect(runTriggers(alert(), run({ status: 'partial' }, { failed: 3 }))).toEqual(['partial'])
    expect(runTriggers(alert(), run())).toEqual([])
    const blocked = run({ status: 'failed', error: { code: 'DELETE_LIMIT', message: 'x' } })
    expect(runTriggers(alert({ on: ['deletes_blocked', 'failed'] }), blocked)).toEqual(['deletes_blocked', 'failed'])
    expect(runTriggers(alert({ on: ['deletes_blocked'] }), FAILED)).toEqual([])
  })

  it('never alerts for a skipped or cancelled run', () => {
    const every = alert({ on: ['failed', 'partial', 'rejected'] })
    expect(runTriggers(every, run({ status: 'skipped' }, { rejected: 5 }))).toEqual([])
    expect(runTriggers(every, run({ status: 'cancelled' }, { rejected: 5 }))).toEqual([])
  })

  it('meets rejected above a count or a share of the rows handled, and bare rejected at any', () => {
    const counts = { synced: 90, rejected: 10 }
    expect(runTriggers(alert({ on: ['rejected'] }), run({}, counts))).toEqual(['rejected'])
    expect(runTriggers(alert({ on: ['rejected'], rejectedAbove: { kind: 'count', count: 10 } }), run({}, counts))).toEqual([])
    expect(runTriggers(alert({ on: ['rejected'], rejectedAbove: { kind: 'count', count: 9 } }), run({}, counts))).toEqual(['rejected'])
    expect(runTriggers(alert({ on: ['rejected'], rejectedAbove: { kind: 'percent', percent: 10 } }), run({}, counts))).toEqual([])
    expect(runTriggers(alert({ on: ['rejected'], rejectedAbove: { kind: 'percent', percent: 9.5 } }), run({}, counts))).toEqual([
      'rejected',
    ])
    expect(runTriggers(alert({ on: ['rejected'] }), run())).toEqual([])
  })
})

describe('the webhook body', () => {
  it('is versioned and flat, with ISO times, and quotes no model value by default', () => {
    const event = assembleRunEvent(alert(), ['failed'], SYNC, FAILED, { endedAt: ENDED, rejections: undefined })
    const body = assembleWebhookBody(event, 'delivery-1')
    expect(body).toEqual({
      version: 1,
      id: 'delivery-1',
      event: 'failed',
      triggers: ['failed'],
      alert: 'ops',
      sync: 'braze-users',
      source: 'warehouse',
      destination: 'braze',
      object: 'user',
      behavior: 'mirror',
      runId: 'run-1',
      status: 'failed',
      startedAt: '2026-12-03T10:00:00.000Z',
      endedAt: '2026-12-03T10:00:05.000Z',
      durationMs: 5000,
      fullResync: false,
      counts: { added: 10, changed: 0, removed: 0, retried: 0, synced: 10, rejected: 0, failed: 0, unknown: 0, baselined: 0 },
      error: { code: 'WAREHOUSE_QUERY_FAILED' },
      reason: 'WAREHOUSE_QUERY_FAILED: a warehouse query failed',
    })
    expect(JSON.stringify(body)).not.toContain('ada@example.com')
  })

  it('carries the recorded reason, the error and rejected rows only with includeValues', () => {
    const rejected = run({ status: 'succeeded' }, { synced: 8, rejected: 2 })
    const rejections = {
      byReason: [{ reason: 'score: a value that is not a number', rows: 2 }],
      sample: [{ key: 'u7', reason: 'score: "lots" is not a number' }],
    }
    const plain = assembleRunEvent(alert({ on: ['rejected'] }), ['rejected'], SYNC, rejected, { endedAt: ENDED, rejections })
    expect(assembleWebhookBody(plain, 'd')).toMatchObject({
      event: 'rejected',
      rejected: { rows: 2, share: 0.2, above: 0, byReason: [{ reason: 'score: a value that is not a number', rows: 2 }] },
      reason: '2 rows rejected',
    })
    expect(JSON.stringify(assembleWebhookBody(plain, 'd'))).not.toMatch(/u7|lots/)
    const withValues = assembleRunEvent(alert({ on: ['rejected'], includeValues: true }), ['rejected'], SYNC, rejected, {
      endedAt: ENDED,
      rejections,
    })
    expect(assembleWebhookBody(withValues, 'd')['values']).toEqual({
      rejectedRows: [{ key: 'u7', reason: 'score: "lots" is not a number' }],
    })
    const failedWithValues = assembleRunEvent(alert({ includeValues: true }), ['failed'], SYNC, FAILED, {
      endedAt: ENDED,
      rejections: undefined,
    })
    expect(assembleWebhookBody(failedWithValues, 'd')['values']).toEqual({ reason: FAILED.reason, error: FAILED.error })
  })

  it('describes drift with the verification counts, and its keys only with includeValues', () => {
    const drift = {
      outcome: 'checked' as const,
      sample: undefined,
      fullResync: false,
      counts: { read: 4, inSync: 3, pending: 0, missing: 1, different: 0, stillPresent: 0 },
      findings: [{ kind: 'missing', key: 'u3' }],
    }
    const body = assembleWebhookBody(assembleDriftEvent(alert({ on: ['drift'] }), SYNC, drift, ENDED), 'd')
    expect(body).toMatchObject({ event: 'drift', status: 'drifted', runId: null, verifiedAt: '2026-12-03T10:00:05.000Z', sample: null })
    expect(body['reason']).toBe('1 record drifted: 1 missing, 0 different, 0 still present after a mirror removed them')
    expect(JSON.stringify(body)).not.toContain('u3')
    const valued = assembleWebhookBody(assembleDriftEvent(alert({ on: ['drift'], includeValues: true }), SYNC, drift, ENDED), 'd')
    expect(valued['values']).toEqual({ findings: [{ kind: 'missing', key: 'u3' }] })
  })
})

describe('the Slack message', () => {
  it('has text and blocks, with the headline, reason, counts and names', () => {
    const message = assembleSlackMessage(assembleRunEvent(alert(), ['failed'], SYNC, FAILED, { endedAt: ENDED, rejections: undefined }))
    expect(message.text).toBe('braze-users: run failed: WAREHOUSE_QUERY_FAILED: a warehouse query failed')
    expect(message.blocks).toHaveLength(3)
    const all = JSON.stringify(message)
    expect(all).toContain('10 added, 0 changed, 0 removed → 10 synced, 0 rejected, 0 failed')
    expect(all).toContain('braze user (mirror) from warehouse; run run-1 failed; WAREHOUSE_QUERY_FAILED')
    expect(all).not.toContain('ada@example.com')
  })

  it('escapes values, so that a key cannot mention or link anyone', () => {
    const rejections = { byReason: [], sample: [{ key: '<!channel>', reason: 'x <https://evil.example|click> & y' }] }
    const event = assembleRunEvent(alert({ on: ['rejected'], includeValues: true }), ['rejected'], SYNC, run({}, { rejected: 1 }), {
      endedAt: ENDED,
      rejections,
    })
    const all = JSON.stringify(assembleSlackMessage(event))
    expect(all).toContain('&lt;!channel&gt;')
    expect(all).toContain('x &lt;https://evil.example|click&gt; &amp; y')
    expect(all).not.toContain('<!channel>')
  })
})

describe('signatures', () => {
  const event = assembleRunEvent(alert(), ['failed'], SYNC, FAILED, { endedAt: ENDED, rejections: undefined })
  const secrets = { url: 'http://127.0.0.1:1/hook', signingSecret: 'whsec_test' }

  it('sign <timestamp>.<body> with HMAC-SHA256, verifiable by the receiver', () => {
    const post = assembleAlertPost({ channel: 'webhook' }, event, secrets, { id: 'd-1', timestamp: 1_796_292_000 })
    expect(post.headers).toMatchObject({ 'x-outflow-event': 'failed', 'x-outflow-delivery': 'd-1', 'x-outflow-timestamp': '1796292000' })
    expect(post.headers['x-outflow-signature']).toBe(signAlert('whsec_test', 1_796_292_000, post.body))
    expect(post.headers['x-outflow-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
    const check = { secret: 'whsec_test', body: post.body, timestamp: '1796292000', signature: post.headers['x-outflow-signature'] }
    expect(verifyAlertSignature({ ...check, now: 1_796_292_060_000 })).toBe(true)
    expect(verifyAlertSignature({ ...check, now: 1_796_292_060_000, secret: 'other' })).toBe(false)
    expect(verifyAlertSignature({ ...check, now: 1_796_292_060_000, body: post.body.replace('failed', 'partial') })).toBe(false)
    expect(verifyAlertSignature({ ...check, now: 1_796_292_000_000 + 301_000 })).toBe(false)
    expect(verifyAlertSignature({ ...check, now: 1_796_292_060_000, signature: undefined })).toBe(false)
  })

  it('are left out without a signing secret, and Slack messages carry no webhook headers', () => {
    const unsigned = assembleAlertPost({ channel: 'webhook' }, event, { ...secrets, signingSecret: undefined }, { id: 'd', timestamp: 1 })
    expect(unsigned.headers['x-outflow-signature']).toBeUndefined()
    const slack = assembleAlertPost({ channel: 'slack' }, event, secrets, { id: 'd', timestamp: 1 })
    expect(Object.keys(slack.headers).sort()).toEqual(['content-type', 'user-agent'])
    expect(JSON.parse(slack.body)).toHaveProperty('blocks')
  })
})
