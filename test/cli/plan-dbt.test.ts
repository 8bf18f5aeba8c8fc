import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { describe, expect, it } from 'vitest'

import type { DbtImpact } from '../../src/api/dbt-impact.js'
import type { PlanOutcomes } from '../../src/api/plan-syncs.js'
import { formatPlan } from '../../src/cli/format-plan.js'
import type { SyncPlan } from '../../src/engine/plan-sync.js'
import { runnablesOf, type RunnableSync } from '../../src/engine/runnable-sync.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'

/*
 * `outflow plan --dbt-state`: the note beside each sync whose dbt model changed, and the closing
 * line. Model names come from a manifest, which is data: in markdown they stay inline code.
 */

const [first, second] = runnablesOf(await loadValidSpecs('syncs'))
if (first === undefined || second === undefined) throw new Error('syncs/ defines fewer than two syncs')

function plan(runnable: RunnableSync): SyncPlan {
  const { sync } = runnable
  return {
    sync: sync.name,
    destination: sync.destination,
    object: sync.object,
    behavior: sync.behavior,
    create: 0,
    update: 2,
    delete: 0,
    retry: 0,
    reject: 0,
    fullResync: false,
    baseline: 0,
    blocked: undefined,
    batches: 1,
    requests: { default: 2 },
    estimatedSeconds: 0.2,
    samples: [],
    rejections: [],
    rejectedByReason: [],
  }
}

const HOSTILE_MODEL = '@octocat|[x](https://evil)'

function report(impacts: [RunnableSync, DbtImpact][]): PlanOutcomes {
  return {
    outcomes: [first, second].map((runnable) => ({
      runnable: runnable as RunnableSync,
      registration: 'unchanged' as const,
      plan: plan(runnable as RunnableSync),
    })),
    removed: [],
    dbt: { state: 'prod/manifest.json', impacts: new Map(impacts.map(([runnable, impact]) => [runnable.sync.name, impact])) },
  }
}

const changed = report([
  [first, { model: HOSTILE_MODEL, change: { model: 'model.shop.x', kinds: ['body', 'configs'], upstream: ['#123'] } }],
  [second, { model: 'orders', change: undefined }],
])

describe('formatPlan with --dbt-state', () => {
  it('flags a sync whose model changed, itself or upstream, and lists those syncs at the end', () => {
    const text = formatPlan(changed, 'text')
    expect(text).toContain(`  ! dbt model ${HOSTILE_MODEL} changed (body, configs); changed upstream: #123\n`)
    expect(text).not.toContain('dbt model orders')
    expect(text).toContain(
      `1 of 2 syncs reading dbt models read a model changed since the dbt manifest prod/manifest.json: ${first.sync.name} (${HOSTILE_MODEL})`,
    )
  })

  it('keeps model names as inline code in the markdown comment', () => {
    const markdown = formatPlan(changed, 'markdown')
    const row = markdown.split('\n').find((line) => line.startsWith(`| \`${first.sync.name}\``))
    expect(row).toContain(
      ':arrows_counterclockwise: dbt model `@octocat\\|[x](https://evil)` changed (body, configs); changed upstream: `#123` |',
    )
    const html = micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] })
    expect(html.replace(/<code>[\s\S]*?<\/code>/g, '')).not.toMatch(/<a |@octocat|#123|evil/)
    expect(markdown).toContain('**dbt**: 1 of 2 syncs reading dbt models read a model changed since the dbt manifest `prod/manifest.json`')
  })

  it('says so when no model changed, and adds each sync model to the JSON', () => {
    const unchanged = report([[second, { model: 'orders', change: undefined }]])
    expect(formatPlan(unchanged, 'text')).toContain(
      'none of 1 sync reading dbt models reads a model changed since the dbt manifest prod/manifest.json',
    )
    const json = JSON.parse(formatPlan(changed, 'json')) as { syncs: { dbt?: unknown }[]; dbtState: string }
    expect(json.dbtState).toBe('prod/manifest.json')
    expect(json.syncs.map((s) => s.dbt)).toEqual([
      { model: HOSTILE_MODEL, changed: true, kinds: ['body', 'configs'], upstream: ['#123'] },
      { model: 'orders', changed: false, kinds: [], upstream: [] },
    ])
  })
})
