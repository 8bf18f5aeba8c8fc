import { activeTelemetry } from './active-telemetry.js'
import { isFailedRun, runOutcomeAttributes, type RunOutcome } from './run-outcome.js'
import { ATTRIBUTES, errorTypeOf, runTargetAttributes, type RunTarget } from './telemetry-attributes.js'

/**
 * Runs one sync's run inside a span, `run <sync>`, the parent of its diff and of every request it
 * sends. The span ends with the run's status, counts and error code. With traces off it only
 * calls `run`.
 */
export async function traceRun<R extends RunOutcome>(target: RunTarget, run: () => Promise<R>): Promise<R> {
  const telemetry = activeTelemetry()
  if (telemetry?.tracer === undefined) return run()
  const { api, tracer } = telemetry
  const attributes = {
    ...runTargetAttributes(target),
    [ATTRIBUTES.object]: target.sync.object,
    [ATTRIBUTES.behavior]: target.sync.behavior,
  }
  return tracer.startActiveSpan(`run ${target.sync.name}`, { kind: api.SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      const outcome = await run()
      span.setAttributes(runOutcomeAttributes(outcome))
      if (isFailedRun(outcome)) span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome.error?.code ?? outcome.status })
      return outcome
    } catch (error) {
      span.setAttribute(ATTRIBUTES.errorType, errorTypeOf(error))
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorTypeOf(error) })
      throw error
    } finally {
      span.end()
    }
  })
}
