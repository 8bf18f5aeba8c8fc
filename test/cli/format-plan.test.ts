import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { describe, expect, it } from 'vitest'

import type { SyncPlan } from '../../src/engine/plan-sync.js'
import { runnablesOf, type RunnableSync } from '../../src/engine/runnable-sync.js'
import { formatPlan } from '../../src/cli/format-plan.js'
import type { PlanOutcomes } from '../../src/api/plan-syncs.js'
import { markdownCode } from '../../src/cli/markdown-escape.js'
import { countByReason } from '../../src/engine/value-free-reason.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'

/*
 * A plan comment is public, and its values come from rows anyone could have typed: a sign-up
 * form's name field, say. Each hostile value below would, unescaped, end the table, close the
 * <details>, notify a GitHub user, link an issue or a site, or run HTML.
 */
const HOSTILE = [
  '</details>',
  '| x |',
  'a `tick` and ``two``',
  '`',
  '@octocat',
  '#123',
  '[x](https://evil)',
  '<img src=x onerror=alert(1)>',
  'https://evil.example',
  'www.evil.example',
  'mallory@evil.example',
  'line\nbreak',
  'back\\|slash',
] as const

const [runnable] = runnablesOf(await loadValidSpecs('syncs'))
if (runnable === undefined) throw new Error('syncs/ defines no sync')

/** Refusals as the diff and the mapper word them, values included. */
const REJECTIONS = [
  { key: '', reason: '2 rows have a null key' },
  { key: 'grace@example.com', reason: 'duplicate key: 2 rows share it' },
  { key: 'alan@example.com', reason: 'plan: "</details> @octocat" is not a boolean (true/false, yes/no, 1/0)' },
  { key: 'joan@example.com', reason: 'plan: "maybe" is not a boolean (true/false, yes/no, 1/0)' },
]

function plan(overrides: Partial<SyncPlan> = {}): SyncPlan {
  return {
    sync: runnable?.sync.name ?? '',
    destination: 'loops',
    object: 'contact',
    behavior: 'upsert',
    create: 3,
    update: 1,
    delete: 0,
    retry: 0,
    reject: 6,
    fullResync: false,
    baseline: 0,
    blocked: undefined,
    batches: 4,
    requests: { default: 4 },
    estimatedSeconds: 0.4,
    samples: HOSTILE.map((value, i) => ({
      op: 'create' as const,
      key: value,
      fields: { email: `ada${String(i)}@example.com`, name: value },
    })),
    rejections: REJECTIONS,
    rejectedByReason: countByReason(REJECTIONS),
    ...overrides,
  }
}

function report(...outcomes: ({ plan: SyncPlan } | { error: { code: string; message: string } })[]): PlanOutcomes {
  return { outcomes: outcomes.map((o) => ({ runnable: runnable as RunnableSync, registration: 'changed' as const, ...o })), removed: [] }
}

/** What GitHub's markdown makes of a comment, raw HTML allowed as GitHub allows `<details>`. */
function render(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] })
}

/** The rendered comment without its code: what GitHub links mentions, references and URLs in. */
function outsideCode(html: string): string {
  return html.replace(/<code>[\s\S]*?<\/code>/g, '<code></code>')
}

const EMAILS = /[a-z]+\d*@example\.com/

describe('formatPlan markdown, without --samples', () => {
  const markdown = formatPlan(report({ plan: plan() }), 'markdown')

  it('holds no model value: no sample, no key, no offending value', () => {
    expect(markdown).not.toMatch(EMAILS)
    for (const value of ['octocat', 'evil', 'maybe', 'details> @', 'img']) expect(markdown).not.toContain(value)
  })

  it('counts rejected rows by a reason that quotes no value', () => {
    expect(markdown).toContain('| `plan: a value that is not a boolean (true/false, yes/no, 1/0)` | 2 |')
    expect(markdown).toContain('| `null key` | 2 |')
    expect(markdown).toContain('| `duplicate key` | 2 |')
    expect(markdown).toContain(`<summary><code>${runnable.sync.name}</code>: rejected rows by reason</summary>`)
    expect(markdown).toContain('No model values are shown')
  })

  it('masks quoted text in error messages, where a warehouse quotes the value it could not convert', () => {
    const failed = formatPlan(
      report({
        error: {
          code: 'WAREHOUSE_QUERY_FAILED',
          message: `source "w" (duckdb): query failed: Could not convert string 'ada@example.com' to INT32\nLINE 1: select`,
        },
      }),
      'markdown',
    )
    expect(failed).toContain(':x: `WAREHOUSE_QUERY_FAILED` `source "…" (duckdb): query failed: Could not convert string \'…\' to INT32` |')
    expect(failed).not.toContain('LINE 1')
  })
})

describe('formatPlan markdown, with --samples', () => {
  const markdown = formatPlan(report({ plan: plan() }, { error: { code: 'MODEL_INVALID', message: HOSTILE.join(' ') } }), 'markdown', {
    values: true,
  })
  const html = render(markdown)

  it('shows sample records, rejected keys and reasons, each value as it is', () => {
    const codes = Array.from(html.matchAll(/<code>([\s\S]*?)<\/code>/g), (m) => decode(m[1] ?? ''))
    for (const value of HOSTILE) expect(codes).toContain(value.replace('\n', ' '))
    expect(codes).toContain('alan@example.com')
    expect(codes).toContain('plan: "</details> @octocat" is not a boolean (true/false, yes/no, 1/0)')
  })

  it('keeps every value inside its cell: no HTML, link, mention, reference or URL outside code', () => {
    const rest = outsideCode(html)
    expect(rest).not.toMatch(/<a |<img|onerror|@octocat|#123|evil|mallory/)
    expect(rest.match(/<details>/g)).toHaveLength(1)
    expect(rest.match(/<\/details>/g)).toHaveLength(1)
    // One table row per sample and rejection, three cells each, and the summary row per outcome.
    expect(html.match(/<tr>/g)).toHaveLength(1 + 2 + 1 + HOSTILE.length + 4)
  })
})

describe('formatPlan text and JSON', () => {
  it('keeps model values out of text and JSON unless asked for', () => {
    const text = formatPlan(report({ plan: plan() }), 'text')
    expect(text).not.toMatch(EMAILS)
    expect(text).toContain('    reject 2: plan: a value that is not a boolean (true/false, yes/no, 1/0)')
    const json = JSON.parse(formatPlan(report({ plan: plan() }), 'json')) as { syncs: Record<string, unknown>[] }
    expect(json.syncs[0]).toMatchObject({ samples: [], rejections: [], rejectedByReason: expect.any(Array) as unknown })
    expect(JSON.stringify(json)).not.toMatch(EMAILS)
  })

  it('shows samples and rejected keys in text when asked for', () => {
    const text = formatPlan(report({ plan: plan() }), 'text', { values: true })
    expect(text).toContain('    reject joan@example.com: plan: "maybe" is not a boolean')
    expect(text).toMatch(EMAILS)
  })
})

describe('markdownCode', () => {
  it('shows any string as itself in a table cell', () => {
    const values = [
      ...HOSTILE,
      ' leading space',
      '``',
      '` `',
      'a ```` b',
      '|',
      '\\',
      '\\|',
      '\\\\|',
      'ends with \\',
      '<!--',
      '***',
      '- [ ] task',
    ]
    for (const value of values) {
      const html = render(`| v |\n|---|\n| ${markdownCode(value)} |\n`)
      const code = /<td><code>([\s\S]*)<\/code><\/td>/.exec(html)?.[1]
      expect(code === undefined ? html : decode(code), JSON.stringify(value)).toBe(value.replace('\n', ' '))
    }
  })
})

function decode(html: string): string {
  // markdownCode puts a zero-width space between a backslash and a pipe (see there).
  return html.replaceAll('\u200B', '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&')
}
