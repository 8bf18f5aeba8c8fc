import { verifyReportOf } from '../api/verify-syncs.js'
import { driftCount, type DriftFinding, type FieldDrift, type SyncVerification } from '../engine/verify/sync-verification.js'
import { jsonDocument } from './json-output.js'
import { plural } from './plural.js'

/** Output formats of `outflow verify`. */
export const VERIFY_FORMATS = ['text', 'markdown', 'json'] as const
export type VerifyFormat = (typeof VERIFY_FORMATS)[number]

/**
 * Renders verifications. Keys and field names are shown; values appear only when the engine was
 * asked for them (`--show-values`), since the markdown may be posted where everyone reads it.
 */
export function formatVerify(results: readonly SyncVerification[], format: VerifyFormat): string {
  switch (format) {
    case 'json':
      return jsonDocument('verify', verifyReportOf(results))
    case 'markdown':
      return markdown(results)
    case 'text':
      return text(results)
  }
}

const count = (n: number) => n.toLocaleString('en-US')

const target = (r: SyncVerification) => `${r.destination} ${r.object} (${r.behavior})`

/** The counts of a checked sync, in words. */
function summary(r: SyncVerification): string {
  const { counts } = r
  const synced = `read ${plural(counts.read, 'synced record')}`
  const read = r.sample === undefined ? synced : `${synced} (sample of ${count(r.sample)})`
  const parts = [`${read}: ${count(counts.inSync)} in sync, ${count(counts.missing)} missing, ${count(counts.different)} different`]
  if (counts.outOfModel > 0)
    parts.push(`${count(counts.outOfModel)} present but gone from the model (kept by ${r.behavior}; values not compared)`)
  if (counts.pending > 0) parts.push(`${count(counts.pending)} pending (changed in the model since sent: the next run sends them)`)
  if (r.behavior === 'mirror')
    parts.push(`removed by mirror: ${count(counts.removedRead)} read, ${count(counts.stillPresent)} still present`)
  return parts.join('; ')
}

function notes(r: SyncVerification): string[] {
  const out: string[] = []
  if (r.fullResync) out.push('the spec changed since the last run: every record is pending until the next run sends it again')
  const drifted = driftCount(r)
  if (drifted > r.findings.length) out.push(`${plural(drifted, 'record')} drifted; the first ${count(r.findings.length)} are listed`)
  return out
}

function text(results: readonly SyncVerification[]): string {
  const lines: string[] = []
  for (const r of results) {
    lines.push(`${r.sync}  ->  ${target(r)}`)
    if (r.outcome === 'failed') lines.push(`  ERROR ${r.error?.code ?? ''}: ${r.error?.message ?? ''}`)
    else if (r.outcome === 'notVerifiable') lines.push(`  not verifiable: ${r.reason ?? ''}`)
    else {
      lines.push(`  ${summary(r)}`)
      for (const note of notes(r)) lines.push(`  ! ${note}`)
      for (const finding of r.findings) lines.push(`    ${findingLine(finding)}`)
    }
    lines.push('')
  }
  lines.push(totals(results), '')
  return lines.join('\n')
}

function findingLine(finding: DriftFinding): string {
  switch (finding.kind) {
    case 'missing':
      return `missing        ${finding.key}${finding.detail === undefined ? '' : ` (${finding.detail})`}`
    case 'different':
      return `different      ${finding.key}: ${finding.fields.map(fieldText).join(', ')}`
    case 'stillPresent':
      return `still present  ${finding.key} (removed ${finding.removedAt})`
  }
}

function fieldText(drift: FieldDrift): string {
  if (!('expected' in drift)) return drift.field
  return `${drift.field} (sent ${shown(drift.expected)}, vendor has ${shown(drift.actual)})`
}

function shown(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value)
}

function totals(results: readonly SyncVerification[]): string {
  const checked = results.filter((r) => r.outcome === 'checked')
  const drifted = checked.filter((r) => driftCount(r) > 0)
  const records = drifted.reduce((sum, r) => sum + driftCount(r), 0)
  const unverifiable = results.filter((r) => r.outcome === 'notVerifiable').length
  const failedCount = results.filter((r) => r.outcome === 'failed').length
  return `${plural(results.length, 'sync')}: ${checked.length - drifted.length} in sync, ${drifted.length} drifted (${plural(records, 'record')}), ${unverifiable} not verifiable, ${failedCount} failed`
}

function markdown(results: readonly SyncVerification[]): string {
  const rows = results.map((r) => {
    const name = `| \`${r.sync}\` | ${target(r)} |`
    const blank = ' |'.repeat(6)
    if (r.outcome === 'failed') return `${name}${blank} :x: ${escape(`${r.error?.code ?? ''}: ${r.error?.message ?? ''}`)} |`
    if (r.outcome === 'notVerifiable') return `${name}${blank} not verifiable: ${escape(r.reason ?? '')} |`
    const { counts } = r
    const flagged = [driftCount(r) > 0 ? ':warning: drift' : '', ...notes(r)].filter((n) => n !== '').join('; ')
    const sample = r.sample === undefined ? '' : ` (sample of ${count(r.sample)})`
    return `${name} ${count(counts.read)}${sample} | ${count(counts.inSync)} | ${count(counts.missing)} | ${count(counts.different)} | ${count(counts.stillPresent)} | ${count(counts.pending)} | ${escape(flagged)} |`
  })
  return [
    '### Outflow verify',
    '',
    '| Sync | Destination | Read | In sync | Missing | Different | Still present | Pending | Notes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
    totals(results),
    '',
    ...results.flatMap(details),
  ].join('\n')
}

function details(r: SyncVerification): string[] {
  if (r.findings.length === 0) return []
  return [
    `<details><summary><code>${r.sync}</code>: drifted records</summary>`,
    '',
    '| Key | Drift | Fields |',
    '|---|---|---|',
    ...r.findings.map(
      (f) =>
        `| \`${escape(f.key)}\` | ${escape(kindText(f))} | ${f.kind === 'different' ? f.fields.map((d) => escape(`\`${fieldText(d)}\``)).join(', ') : ''} |`,
    ),
    '',
    '</details>',
    '',
  ]
}

function kindText(finding: DriftFinding): string {
  if (finding.kind === 'missing') return finding.detail === undefined ? 'missing' : `missing (${finding.detail})`
  if (finding.kind === 'stillPresent') return `still present (removed ${finding.removedAt})`
  return 'different'
}

/** Keeps table cells intact: pipes and newlines would break the row. */
function escape(value: string): string {
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
