import { describe, expect, it } from 'vitest'

import { diffSync } from '../../src/pulumi/runtime/sync-diff.js'
import type { SyncInputs } from '../../src/pulumi/runtime/sync-types.js'
import { formatProblem } from '../../src/spec/problem.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import { BASE_SPECS, checkSpecs } from '../helpers/check-specs.js'

/*
 * `Alert` documents as specs: validated with every problem at file:line, resolved onto the syncs
 * they apply to (which is what is registered and run), and a change of them a change of the sync
 * that never resends a row.
 */

const SYNCS = `apiVersion: outflow/v1
kind: Sync
metadata: { name: braze-users, labels: { team: growth } }
spec:
  source: warehouse
  model: { table: users }
  destination: braze
  object: user
  behavior: upsert
  key: { column: user_id }
  alerts: [ops-slack]
---
apiVersion: outflow/v1
kind: Sync
metadata: { name: loops-contacts, labels: { team: lifecycle } }
spec:
  source: warehouse
  model: { table: users }
  destination: loops
  object: contact
  behavior: upsert
  key: { column: email, field: email }
  mappings: [{ column: email }]
`

const ALERTS = `apiVersion: outflow/v1
kind: Alert
metadata: { name: ops-slack }
spec:
  channel: slack
  url: { secret: SLACK_ALERTS_URL }
  on: [partial, failed]
---
apiVersion: outflow/v1
kind: Alert
metadata: { name: lifecycle-webhook }
spec:
  channel: webhook
  url: { env: ALERT_WEBHOOK_URL }
  signingSecret: { secret: ALERT_SIGNING_SECRET }
  on: [drift, { rejected: { above: "2.5%" } }, deletes_blocked]
  syncs: { labels: { team: lifecycle } }
  includeValues: true
`

function check(files: Record<string, string>) {
  return checkSpecs({ 'base.yaml': BASE_SPECS, ...files })
}

describe('Alert documents', () => {
  it('are resolved onto the syncs they apply to, sorted, with their defaults', () => {
    const result = check({ 'syncs.yaml': SYNCS, 'alerts.yaml': ALERTS })
    expect(result.errors).toEqual([])
    expect(result.counts.alerts).toBe(2)
    const [braze, loops] = result.value?.syncs ?? []
    expect(braze?.alerts).toEqual([
      { name: 'ops-slack', channel: 'slack', url: { secret: 'SLACK_ALERTS_URL' }, on: ['failed', 'partial'], includeValues: false },
    ])
    expect(loops?.alerts).toEqual([
      {
        name: 'lifecycle-webhook',
        channel: 'webhook',
        url: { env: 'ALERT_WEBHOOK_URL' },
        signingSecret: { secret: 'ALERT_SIGNING_SECRET' },
        on: ['deletes_blocked', 'rejected', 'drift'],
        rejectedAbove: { kind: 'percent', percent: 2.5 },
        includeValues: true,
      },
    ])
  })

  it('apply to every sync with `syncs: all`, once each, and leave a sync without alerts as it was', () => {
    const all = ALERTS.replace('on: [partial, failed]', 'on: [failed]\n  syncs: all')
    const [braze, loops] = check({ 'syncs.yaml': SYNCS, 'alerts.yaml': all }).value?.syncs ?? []
    expect(braze?.alerts?.map((a) => a.name)).toEqual(['ops-slack'])
    expect(loops?.alerts?.map((a) => a.name)).toEqual(['lifecycle-webhook', 'ops-slack'])
    const without = check({ 'syncs.yaml': SYNCS.replace('  alerts: [ops-slack]\n', '') }).value?.syncs[0]
    expect(without).not.toHaveProperty('alerts')
  })

  it('report every problem at file:line, never echoing a URL written in place of a reference', () => {
    const broken = `apiVersion: outflow/v1
kind: Alert
metadata: { name: ops-slack }
spec:
  channel: slack
  url: https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX
  on: [failed, faild]
---
apiVersion: outflow/v1
kind: Alert
metadata: { name: hook }
spec:
  channel: webhook
  url: { env: HOOK_URL }
  on: [rejected, { rejected: { above: 3 } }, { rejected: { above: "150%" } }]
  syncs: { names: [braze-user] }
---
apiVersion: outflow/v1
kind: Alert
metadata: { name: signed-slack }
spec:
  channel: slack
  url: { env: SLACK_URL }
  signingSecret: { env: SECRET }
  on: [sometimes]
`
    const result = check({ 'syncs.yaml': SYNCS.replace('alerts: [ops-slack]', 'alerts: [ops-slak]'), 'alerts.yaml': broken })
    expect(result.errors.map(formatProblem)).toEqual([
      'alerts.yaml:6:8  /spec/url  a literal credential is not allowed in a spec: use `{ secret: NAME }` or `{ env: NAME }`',
      'alerts.yaml:7:16  /spec/on/1  "faild" is not one of `failed`, `partial`, `rejected`, `deletes_blocked` or `drift` (did you mean "failed"?)',
      'alerts.yaml:15:67  /spec/on/2/rejected/above  "150%" is not valid here: expected something like `2%`',
      'alerts.yaml:16:20  /spec/syncs/names/0  no Sync named "braze-user" (did you mean "braze-users"?)',
      'alerts.yaml:24:3  /spec/signingSecret  unknown property `signingSecret`; allowed here: `channel`, `url`, `on`, `syncs` or `includeValues`',
      'alerts.yaml:25:8  /spec/on/0  "sometimes" is not one of `failed`, `partial`, `rejected`, `deletes_blocked` or `drift`',
      'syncs.yaml:11:12  /spec/alerts/0  no Alert named "ops-slak" (did you mean "ops-slack"?)',
    ])
    expect(JSON.stringify(result)).not.toContain('XXXXSECRETXXXX')
  })

  it('refuse a trigger listed twice, and warn of an alert that applies to no sync', () => {
    const twice = ALERTS.replace('on: [drift, ', 'on: [drift, rejected, ')
    expect(check({ 'syncs.yaml': SYNCS, 'alerts.yaml': twice }).errors.map(formatProblem)).toEqual([
      'alerts.yaml:16:25  /spec/on/2  trigger `rejected` is listed twice: keep one',
    ])
    const unused = check({ 'syncs.yaml': SYNCS.replace('  alerts: [ops-slack]\n', ''), 'alerts.yaml': ALERTS })
    expect(unused.errors).toEqual([])
    expect(unused.warnings.map(formatProblem)).toEqual([
      'alerts.yaml:3:19  /metadata/name  warning: alert "ops-slack" applies to no sync: list it in a sync\'s `alerts`, or select syncs with `syncs`',
    ])
  })
})

describe('a sync whose alerts change', () => {
  it('keeps its spec hash (no row is sent again) and is a change, not a replacement, in a Pulumi diff', () => {
    const before = check({ 'syncs.yaml': SYNCS.replace('  alerts: [ops-slack]\n', '') }).value
    const after = check({ 'syncs.yaml': SYNCS, 'alerts.yaml': ALERTS }).value
    const [old, changed] = [before?.syncs[0], after?.syncs[0]]
    if (before === undefined || after === undefined || old === undefined || changed === undefined) throw new Error('specs did not load')
    expect(syncSpecHash(changed)).toBe(syncSpecHash(old))
    const inputs = (sync: typeof old): SyncInputs => ({
      sync,
      destination: after.destinations[1] ?? after.destinations[0]!,
      source: after.sources[0]!,
      credentials: {},
      specHash: syncSpecHash(sync),
    })
    const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
    expect(diffSync('braze-users', plain(inputs(old)), plain(inputs(changed)))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    })
    expect(diffSync('braze-users', plain(inputs(changed)), plain(inputs(changed))).changes).toBe(false)
  })
})
