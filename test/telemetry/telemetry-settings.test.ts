import { describe, expect, it } from 'vitest'

import { readTelemetrySettings } from '../../src/telemetry/telemetry-settings.js'

const ENDPOINT = 'http://collector:4318'

describe('readTelemetrySettings', () => {
  it('is off when no OTEL_* variable asks for an export', () => {
    expect(readTelemetrySettings({})).toEqual({ traces: undefined, metrics: undefined, logLevel: undefined, warnings: [] })
    expect(readTelemetrySettings({ OTEL_SERVICE_NAME: 'syncs', OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toMatchObject({
      traces: undefined,
      metrics: undefined,
    })
  })

  it('turns both signals on with an endpoint, as protobuf by default, with the SDK default metric interval', () => {
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT })).toEqual({
      traces: { protocol: 'http/protobuf' },
      metrics: { protocol: 'http/protobuf', exportIntervalMs: 60_000, exportTimeoutMs: 30_000 },
      logLevel: undefined,
      warnings: [],
    })
  })

  it('turns on only the signal whose own endpoint is set, with its own protocol', () => {
    const settings = readTelemetrySettings({
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${ENDPOINT}/v1/metrics`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_METRIC_EXPORT_INTERVAL: '10000',
      OTEL_METRIC_EXPORT_TIMEOUT: '20000',
    })
    expect(settings.traces).toBeUndefined()
    expect(settings.metrics).toEqual({ protocol: 'http/json', exportIntervalMs: 10_000, exportTimeoutMs: 10_000 })
  })

  it('turns a signal on when its exporter is otlp by name, with the default endpoint', () => {
    expect(readTelemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({
      traces: { protocol: 'http/protobuf' },
      metrics: undefined,
    })
  })

  it('turns signals off with OTEL_SDK_DISABLED or an exporter of none, whatever the endpoint', () => {
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_SDK_DISABLED: 'TRUE' })).toMatchObject({
      traces: undefined,
      metrics: undefined,
    })
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_METRICS_EXPORTER: 'none' })).toMatchObject({
      traces: { protocol: 'http/protobuf' },
      metrics: undefined,
    })
  })

  it('says what it cannot honour: gRPC, other exporters, bad numbers and log levels', () => {
    const settings = readTelemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_METRIC_EXPORT_INTERVAL: 'soon',
      OTEL_LOG_LEVEL: 'loud',
    })
    expect(settings).toMatchObject({ traces: undefined, metrics: undefined, logLevel: undefined })
    expect(settings.warnings).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc is not supported: Outflow exports OTLP over HTTP, http/protobuf or http/json; traces are off',
      'OTEL_METRICS_EXPORTER=console is not supported: Outflow exports metrics with otlp (OTLP over HTTP) or none',
      'OTEL_METRIC_EXPORT_INTERVAL=soon is not a positive whole number of milliseconds; using 60000',
      'OTEL_LOG_LEVEL=loud is not one of none, error, warn, info, debug, verbose, all',
    ])
  })

  it('reads OTEL_LOG_LEVEL for the SDK diagnostics', () => {
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_LOG_LEVEL: 'WARN' }).logLevel).toBe('warn')
  })
})
