import { activeTelemetry } from './active-telemetry.js'
import { ROW_OUTCOMES, type RunOutcome } from './run-outcome.js'
import { ATTRIBUTES, runTargetAttributes, type RunTarget } from './telemetry-attributes.js'

/**
 * Records how a sync's run ended, once per run, where the run's result is known: in one process
 * as each sync finishes (failures before the run started included), on Temporal in the activity
 * that ends the run. Adds its rows by outcome, its duration by status, and, unless it was skipped
 * (another runner had the sync), its success or failure to the time-since-success gauge.
 * Telemetry off, it does nothing.
 */
export function recordRunEnd(target: RunTarget, outcome: RunOutcome): void {
  const telemetry = activeTelemetry()
  if (telemetry === undefined) return
  const attributes = runTargetAttributes(target)
  const { instruments } = telemetry
  if (instruments !== undefined) {
    for (const rowOutcome of ROW_OUTCOMES)
      instruments.rows.add(outcome.counts[rowOutcome], { ...attributes, [ATTRIBUTES.rowOutcome]: rowOutcome })
    instruments.runDuration.record(outcome.durationMs / 1000, { ...attributes, [ATTRIBUTES.runStatus]: outcome.status })
  }
  if (outcome.status !== 'skipped') {
    telemetry.lastSuccess.record(`${target.source.name}/${target.sync.name}`, attributes, outcome.status === 'succeeded')
  }
}
