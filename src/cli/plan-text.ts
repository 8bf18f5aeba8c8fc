import type { SyncPlan } from '../engine/plan-sync.js'
import type { PlanOutcomes } from '../api/plan-syncs.js'
import { dbtNoteText, dbtSummaryText } from './plan-dbt.js'
import { count, duration, notes, requests } from './plan-wording.js'
import { nounFor, plural } from './plural.js'

/**
 * A plan for a terminal. Without `values`, rejected rows are counts by value-free reason; with
 * it, the plan's sample records and the keys and reasons of the rows it would reject as well.
 */
export function formatPlanText(report: PlanOutcomes, values: boolean): string {
  const lines: string[] = []
  for (const outcome of report.outcomes) {
    const { sync } = outcome.runnable
    lines.push(`${sync.name}  ->  ${sync.destination} ${sync.object} (${sync.behavior})`)
    const dbt = dbtNoteText(report, sync.name)
    if ('error' in outcome) {
      lines.push(`  ERROR ${outcome.error.code}: ${outcome.error.message}`, ...(dbt === undefined ? [] : [`  ! ${dbt}`]), '')
      continue
    }
    const { plan } = outcome
    lines.push(...summary(plan))
    for (const note of [...notes(plan, outcome.registration), ...(dbt === undefined ? [] : [dbt])]) lines.push(`  ! ${note}`)
    lines.push(...(values ? records(plan) : reasons(plan)), '')
  }
  for (const gone of report.removed) {
    lines.push(
      `${gone.sync}  ->  ${gone.destination}`,
      '  ! removed from the specs: `pulumi up` unregisters it; destination data is left as it is',
      '',
    )
  }
  lines.push(...dbtSummaryText(report).flatMap((line) => [line, '']))
  return lines.join('\n')
}

function summary(plan: SyncPlan): string[] {
  const retry = plan.retry > 0 ? `  retry ${count(plan.retry)}` : ''
  const time =
    plan.estimatedSeconds === undefined ? 'no documented rate limit' : `about ${duration(plan.estimatedSeconds)} at the rate limit`
  return [
    `  create ${count(plan.create)}  update ${count(plan.update)}  delete ${count(plan.delete)}${retry}  reject ${count(plan.reject)}`,
    `  ${plural(plan.batches, 'batch', 'batches')}, ${requests(plan)} ${nounFor(totalRequests(plan), 'request')}, ${time}`,
  ]
}

function totalRequests(plan: SyncPlan): number {
  return Object.values(plan.requests).reduce((sum, n) => sum + n, 0)
}

function records(plan: SyncPlan): string[] {
  return [
    ...plan.samples.map((sample) => `    ${sample.op} ${sample.key}  ${JSON.stringify(sample.fields)}`),
    ...plan.rejections.map((rejection) => `    reject ${rejection.key || '(null key)'}: ${rejection.reason}`),
  ]
}

function reasons(plan: SyncPlan): string[] {
  return plan.rejectedByReason.map((r) => `    reject ${count(r.rows)}: ${r.reason}`)
}
