import { inSpan, markFailed } from './in-span.js'
import { isFailedRun, runOutcomeAttributes, type RunOutcome } from './run-outcome.js'
import { ATTRIBUTES, runTargetAttributes, type RunTarget } from './telemetry-attributes.js'

/**
 * Runs one sync's run inside a span, `run <sync>`, the parent of its diff and of every request it
 * sends. The span ends with the run's status, counts and error code. With traces off it only
 * calls `run`.
 */
export function traceRun<R extends RunOutcome>(target: RunTarget, run: () => Promise<R>): Promise<R> {
  const attributes = {
    ...runTargetAttributes(target),
    [ATTRIBUTES.object]: target.sync.object,
    [ATTRIBUTES.behavior]: target.sync.behavior,
  }
  return inSpan(`run ${target.sync.name}`, attributes, run, (outcome, span) => {
    span.setAttributes(runOutcomeAttributes(outcome))
    if (isFailedRun(outcome)) markFailed(span, outcome.error?.code ?? outcome.status)
  })
}
