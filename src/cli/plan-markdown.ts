import type { SyncPlan } from '../engine/plan-sync.js'
import { htmlText, markdownCode, markdownText } from './markdown-escape.js'
import type { PlanOutcomes } from '../api/plan-syncs.js'
import { dbtNoteMarkdown, dbtSummaryMarkdown } from './plan-dbt.js'
import { count, duration, notes, requests } from './plan-wording.js'

type Outcome = PlanOutcomes['outcomes'][number]

const HEADER = [
  '| Sync | Destination | Create | Update | Delete | Reject | API calls | Est. time | Notes |',
  '|---|---|---:|---:|---:|---:|---|---|---|',
]

const PRIVATE_FOOTER =
  '<sub>No model values are shown: rejected rows are counted by reason. `outflow plan --samples N` shows sample records and rejected keys.</sub>'

/**
 * A plan as a pull-request comment, which everyone who can read the repository reads. Without
 * `values` it holds counts, spec names and value-free reasons only: no sample record, no
 * rejected row's key or value, and error messages with their quoted text masked (a warehouse
 * quotes the value it could not convert). With `values`, sample records, rejected keys with
 * their reasons, and whole error messages. Every value and message is inline code, so nothing
 * in it renders as markdown, HTML, a link, a mention or a reference.
 */
export function formatPlanMarkdown(report: PlanOutcomes, values: boolean): string {
  const rows = report.outcomes.map((outcome) => row(outcome, values, dbtNoteMarkdown(report, outcome.runnable.sync.name)))
  const removed = report.removed.map(
    (gone) =>
      `| ${markdownCode(gone.sync)} | ${markdownCode(gone.destination)} | | | | | | | removed: unregistered by \`pulumi up\`, destination data kept |`,
  )
  const details = report.outcomes.flatMap((outcome) => ('plan' in outcome ? (values ? samples(outcome.plan) : reasons(outcome.plan)) : []))
  const dbt = dbtSummaryMarkdown(report)
  return ['### Outflow plan', '', ...HEADER, ...rows, ...removed, '', ...dbt, ...details, ...(values ? [] : [PRIVATE_FOOTER, ''])].join(
    '\n',
  )
}

function row(outcome: Outcome, values: boolean, dbtNote: string | undefined): string {
  const { sync } = outcome.runnable
  const head = `| ${markdownCode(sync.name)} | ${markdownCode(`${sync.destination} ${sync.object} (${sync.behavior})`)} |`
  if ('error' in outcome) {
    const message = values ? outcome.error.message : maskQuoted(outcome.error.message)
    return `${head} | | | | | | | ${[`:x: ${markdownCode(outcome.error.code)} ${markdownCode(message)}`, ...(dbtNote === undefined ? [] : [dbtNote])].join('; ')} |`
  }
  const { plan } = outcome
  const flagged = notes(plan, outcome.registration).map((note) => {
    const text = markdownText(note)
    return note.startsWith('BLOCKED') ? `:no_entry: ${text}` : note.startsWith('FULL') ? `:warning: ${text}` : text
  })
  const counts = [plan.create, plan.update, plan.delete, plan.reject].map(count).join(' | ')
  if (dbtNote !== undefined) flagged.push(dbtNote)
  return `${head} ${counts} | ${requests(plan)} | ${duration(plan.estimatedSeconds)} | ${flagged.join('; ')} |`
}

function samples(plan: SyncPlan): string[] {
  if (plan.samples.length === 0 && plan.rejections.length === 0) return []
  return details(plan, 'sample records', [
    '| Operation | Key | Fields |',
    '|---|---|---|',
    ...plan.samples.map((s) => `| ${s.op} | ${markdownCode(s.key)} | ${markdownCode(JSON.stringify(s.fields))} |`),
    ...plan.rejections.map((r) => `| reject | ${r.key === '' ? '(null key)' : markdownCode(r.key)} | ${markdownCode(r.reason)} |`),
  ])
}

function reasons(plan: SyncPlan): string[] {
  const byReason = plan.rejectedByReason
  if (byReason.length === 0) return []
  return details(plan, 'rejected rows by reason', [
    '| Reason | Rows |',
    '|---|---:|',
    ...byReason.map((r) => `| ${markdownCode(r.reason)} | ${count(r.rows)} |`),
  ])
}

function details(plan: SyncPlan, title: string, table: string[]): string[] {
  // The blank lines end the HTML block, so GitHub renders the table inside as markdown.
  return [`<details><summary><code>${htmlText(plan.sync)}</code>: ${title}</summary>`, '', ...table, '', '</details>', '']
}

/**
 * An error message's first line with its quoted text masked: a warehouse quotes the value it
 * could not convert (`Could not convert string 'ada@example.com'`). Quoted names go too; the
 * terminal (`outflow plan`) shows the whole message.
 */
function maskQuoted(message: string): string {
  const line = message.split(/\r?\n/, 1)[0] ?? ''
  return line.replace(/"[^"]*"/g, '"…"').replace(/(^|[\s(=:,[])'[^']*'(?=$|[\s),.;:\]])/g, "$1'…'")
}
