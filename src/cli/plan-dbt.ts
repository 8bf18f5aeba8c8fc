import type { DbtImpact } from '../api/dbt-impact.js'
import type { PlanOutcomes } from '../api/plan-syncs.js'
import { markdownCode } from './markdown-escape.js'
import { plural } from './plural.js'

/*
 * What `outflow plan --dbt-state` adds: beside each sync that reads a dbt model changed since the
 * base manifest, how it changed; and a line listing those syncs. Model names come from the
 * manifest, so markdown shows them as inline code.
 */

/** `dbt model users changed (body); changed upstream: orders`, or undefined when the sync's model did not change. */
export function dbtNoteText(report: PlanOutcomes, sync: string): string | undefined {
  const impact = report.dbt?.impacts.get(sync)
  return impact === undefined ? undefined : describe(impact, (name) => name)
}

/** The same note for a markdown table cell. */
export function dbtNoteMarkdown(report: PlanOutcomes, sync: string): string | undefined {
  const impact = report.dbt?.impacts.get(sync)
  const note = impact === undefined ? undefined : describe(impact, markdownCode)
  return note === undefined ? undefined : `:arrows_counterclockwise: ${note}`
}

/** The syncs whose dbt models changed, as a closing line: none without `--dbt-state`. */
export function dbtSummaryText(report: PlanOutcomes): string[] {
  return summary(report, (name) => name)
}

/** The same line for markdown. */
export function dbtSummaryMarkdown(report: PlanOutcomes): string[] {
  const line = summary(report, markdownCode)
  return line.map((text) => `**dbt**: ${text}\n`)
}

function summary(report: PlanOutcomes, name: (text: string) => string): string[] {
  const { dbt } = report
  if (dbt === undefined) return []
  const changed = [...dbt.impacts].filter(([, impact]) => impact.change !== undefined)
  const since = `since the dbt manifest ${name(dbt.state)}`
  if (dbt.impacts.size === 0) return [`no planned sync reads a dbt model (base: the dbt manifest ${name(dbt.state)})`]
  const of = `of ${plural(dbt.impacts.size, 'sync')} reading dbt models`
  if (changed.length === 0) return [`none ${of} reads a model changed ${since}`]
  const listed = changed.map(([sync, impact]) => `${name(sync)} (${name(impact.model)})`).join(', ')
  return [`${String(changed.length)} ${of} read a model changed ${since}: ${listed}`]
}

function describe(impact: DbtImpact, name: (text: string) => string): string | undefined {
  const { change } = impact
  if (change === undefined) return undefined
  const own = change.kinds.includes('new') ? 'is new' : change.kinds.length > 0 ? `changed (${change.kinds.join(', ')})` : undefined
  const upstream = change.upstream.length > 0 ? `changed upstream: ${change.upstream.map(name).join(', ')}` : undefined
  return `dbt model ${name(impact.model)} ${[own, upstream].filter((part) => part !== undefined).join('; ')}`
}
