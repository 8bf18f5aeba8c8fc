import { planReportOf, type PlanOutcomes } from '../api/plan-syncs.js'
import { jsonDocument } from './json-output.js'
import { formatPlanMarkdown } from './plan-markdown.js'
import { formatPlanText } from './plan-text.js'

/** Output formats of `outflow plan`. */
export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

/** Options of {@link formatPlan}. */
export interface FormatPlanOptions {
  /**
   * Whether the output may show model values: sample records, rejected rows' keys and their
   * reasons as worded, and (markdown) whole error messages. Without it, rejected rows are counted
   * by a reason that quotes no value. `outflow plan` sets it when `--samples` is above 0.
   * @default false
   */
  values?: boolean
}

/** A plan as text for a terminal, markdown for a pull-request comment, or JSON (the `plan` document of README's "Machine-readable output"). */
export function formatPlan(report: PlanOutcomes, format: PlanFormat, options: FormatPlanOptions = {}): string {
  const values = options.values ?? false
  switch (format) {
    case 'json':
      return jsonDocument('plan', planReportOf(report, values))
    case 'markdown':
      return formatPlanMarkdown(report, values)
    case 'text':
      return formatPlanText(report, values)
  }
}
