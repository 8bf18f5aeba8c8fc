import type { PlanOutcome } from '../engine/plan-syncs.js'
import type { SyncPlan } from '../engine/plan-sync.js'

/** How a working-tree sync compares with what is registered (applied). */
export type Registration = 'new' | 'changed' | 'unchanged'

/** A plan with its registration status; `removed` lists registered syncs gone from the working tree. */
export interface PlanReport {
  outcomes: readonly (PlanOutcome & { registration: Registration })[]
  removed: readonly { sync: string; destination: string }[]
}

/** Output formats of `outflow plan`. */
export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

export function formatPlan(report: PlanReport, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(toJson(report), null, 2) + '\n'
    case 'markdown':
      return markdown(report)
    case 'text':
      return text(report)
  }
}

function toJson(report: PlanReport) {
  return {
    syncs: report.outcomes.map((o) =>
      'plan' in o
        ? { registration: o.registration, ...o.plan }
        : { sync: o.runnable.sync.name, registration: o.registration, error: o.error },
    ),
    removed: report.removed,
  }
}

const count = (n: number) => n.toLocaleString('en-US')

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return 'not rate limited'
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}

function requests(plan: SyncPlan): string {
  const parts = Object.entries(plan.requests).map(([group, n]) => `${count(n)} ${group}`)
  return parts.length === 0 ? '0' : parts.join(' + ')
}

/** Short warnings a reviewer must not miss. */
function notes(plan: SyncPlan, registration: Registration): string[] {
  const out: string[] = []
  if (registration === 'new') out.push('new sync')
  if (registration === 'changed') out.push('spec changed')
  if (plan.fullResync) out.push('FULL RESYNC: every row is sent again')
  if (plan.baseline > 0) out.push(`first run: ${count(plan.baseline)} existing rows recorded as sent, none sent (backfill: false)`)
  if (plan.retry > 0) out.push(`${count(plan.retry)} rows an earlier run could not deliver are sent again`)
  if (plan.blocked !== undefined) out.push(`BLOCKED: ${plan.blocked}`)
  return out
}

function text(report: PlanReport): string {
  const lines: string[] = []
  for (const outcome of report.outcomes) {
    const { sync } = outcome.runnable
    lines.push(`${sync.name}  ->  ${sync.destination} ${sync.object} (${sync.behavior})`)
    if ('error' in outcome) {
      lines.push(`  ERROR ${outcome.error.code}: ${outcome.error.message}`, '')
      continue
    }
    const { plan } = outcome
    const retry = plan.retry > 0 ? `  retry ${count(plan.retry)}` : ''
    lines.push(
      `  create ${count(plan.create)}  update ${count(plan.update)}  delete ${count(plan.delete)}${retry}  reject ${count(plan.reject)}`,
    )
    const time =
      plan.estimatedSeconds === undefined ? 'no documented rate limit' : `about ${duration(plan.estimatedSeconds)} at the rate limit`
    lines.push(`  ${count(plan.batches)} batches, ${requests(plan)} requests, ${time}`)
    for (const note of notes(plan, outcome.registration)) lines.push(`  ! ${note}`)
    for (const sample of plan.samples) lines.push(`    ${sample.op} ${sample.key}  ${JSON.stringify(sample.fields)}`)
    for (const rejection of plan.rejections) lines.push(`    reject ${rejection.key || '(null key)'}: ${rejection.reason}`)
    lines.push('')
  }
  for (const gone of report.removed) {
    lines.push(
      `${gone.sync}  ->  ${gone.destination}`,
      '  ! removed from the specs: `pulumi up` unregisters it; destination data is left as it is',
      '',
    )
  }
  return lines.join('\n')
}

function markdown(report: PlanReport): string {
  const rows = report.outcomes.map((outcome) => {
    const { sync } = outcome.runnable
    const target = `${sync.destination} ${sync.object} (${sync.behavior})`
    if ('error' in outcome) return `| \`${sync.name}\` | ${target} | | | | | | | :x: ${escape(outcome.error.message)} |`
    const { plan } = outcome
    const flagged = notes(plan, outcome.registration).map((n) =>
      n.startsWith('BLOCKED') ? `:no_entry: ${n}` : n.startsWith('FULL') ? `:warning: ${n}` : n,
    )
    return `| \`${sync.name}\` | ${target} | ${count(plan.create)} | ${count(plan.update)} | ${count(plan.delete)} | ${count(plan.reject)} | ${requests(plan)} | ${duration(plan.estimatedSeconds)} | ${escape(flagged.join('; '))} |`
  })
  const removed = report.removed.map(
    (gone) => `| \`${gone.sync}\` | ${gone.destination} | | | | | | | removed: unregistered by \`pulumi up\`, destination data kept |`,
  )
  const details = report.outcomes.flatMap((outcome) => {
    if (!('plan' in outcome) || (outcome.plan.samples.length === 0 && outcome.plan.rejections.length === 0)) return []
    const { plan } = outcome
    return [
      `<details><summary><code>${plan.sync}</code>: sample records</summary>`,
      '',
      '| Operation | Key | Fields |',
      '|---|---|---|',
      ...plan.samples.map((s) => `| ${s.op} | \`${escape(s.key)}\` | \`${escape(JSON.stringify(s.fields))}\` |`),
      ...plan.rejections.map((r) => `| reject | \`${escape(r.key || '(null key)')}\` | ${escape(r.reason)} |`),
      '',
      '</details>',
      '',
    ]
  })
  return [
    '### Outflow plan',
    '',
    '| Sync | Destination | Create | Update | Delete | Reject | API calls | Est. time | Notes |',
    '|---|---|---:|---:|---:|---:|---|---|---|',
    ...rows,
    ...removed,
    '',
    ...details,
  ].join('\n')
}

/** Keeps table cells intact: pipes and newlines would break the row. */
function escape(value: string): string {
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
