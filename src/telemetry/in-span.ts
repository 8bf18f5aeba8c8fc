import type { Attributes, Span } from '@opentelemetry/api'

import { activeTelemetry } from './active-telemetry.js'
import { ATTRIBUTES, errorTypeOf } from './telemetry-attributes.js'

/**
 * Runs `work` inside an active internal span named `name` (so the spans it starts are its
 * children), lets `describe` add what the result says, and ends the span: an error thrown marks
 * it with its code. With traces off it only calls `work`. The run, diff, page and verify spans are
 * this, each with its own name, attributes and description.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
  describe?: (result: T, span: Span) => void,
): Promise<T> {
  const telemetry = activeTelemetry()
  if (telemetry?.tracer === undefined) return work()
  const { api, tracer } = telemetry
  return tracer.startActiveSpan(name, { kind: api.SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      const result = await work()
      describe?.(result, span)
      return result
    } catch (error) {
      span.setAttribute(ATTRIBUTES.errorType, errorTypeOf(error))
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorTypeOf(error) })
      throw error
    } finally {
      span.end()
    }
  })
}

/** Marks a span as failed with a code (a result that reports its failure instead of throwing it). */
export function markFailed(span: Span, code: string): void {
  const api = activeTelemetry()?.api
  if (api !== undefined) span.setStatus({ code: api.SpanStatusCode.ERROR, message: code })
}
