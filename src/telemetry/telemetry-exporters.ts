import type { PushMetricExporter } from '@opentelemetry/sdk-metrics'
import type { SpanExporter } from '@opentelemetry/sdk-trace'

import type { OtlpProtocol } from './telemetry-settings.js'

/*
 * The OTLP exporters read the rest of their settings from the standard variables themselves:
 * endpoints (`OTEL_EXPORTER_OTLP_ENDPOINT` plus `/v1/traces` or `/v1/metrics`, or the signal's own
 * endpoint as given), headers, timeout, compression, certificates, and the metrics temporality.
 * Each encoding is its own package, loaded only when chosen.
 */

/** The span exporter for `protocol`: OTLP over HTTP, as protobuf (the standard default) or JSON. */
export async function loadSpanExporter(protocol: OtlpProtocol): Promise<SpanExporter> {
  const { OTLPTraceExporter } =
    protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto')
  return new OTLPTraceExporter()
}

/** The metric exporter for `protocol`: OTLP over HTTP, as protobuf (the standard default) or JSON. */
export async function loadMetricExporter(protocol: OtlpProtocol): Promise<PushMetricExporter> {
  const { OTLPMetricExporter } =
    protocol === 'http/json'
      ? await import('@opentelemetry/exporter-metrics-otlp-http')
      : await import('@opentelemetry/exporter-metrics-otlp-proto')
  return new OTLPMetricExporter()
}
