/** The OTLP encodings Outflow exports with: both are OTLP over HTTP (port 4318 on a collector). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number]

/** How one signal (traces or metrics) is exported. */
export interface SignalSettings {
  protocol: OtlpProtocol
}

/** How metrics are exported: a reader collects every `exportIntervalMs`, and once more at shutdown. */
export interface MetricSettings extends SignalSettings {
  /** @default 60000 (OTEL_METRIC_EXPORT_INTERVAL) */
  exportIntervalMs: number
  /** @default 30000 (OTEL_METRIC_EXPORT_TIMEOUT), never above the interval */
  exportTimeoutMs: number
}

/** What the `OTEL_*` variables ask for. A signal left undefined is off, and nothing of its SDK is loaded. */
export interface TelemetrySettings {
  traces: SignalSettings | undefined
  metrics: MetricSettings | undefined
  /** OTEL_LOG_LEVEL, for the SDK's own diagnostics (an export that failed); undefined keeps them silent. */
  logLevel: DiagnosticLevel | undefined
  /** Variables set to something Outflow does not support, in words, for the user to see once. */
  warnings: string[]
}

export const DIAGNOSTIC_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const
export type DiagnosticLevel = (typeof DIAGNOSTIC_LEVELS)[number]

/** The part of each signal's variable names that names it: `OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`. */
const SIGNAL_VARIABLES = { traces: 'TRACES', metrics: 'METRICS' } as const

type Env = Readonly<Record<string, string | undefined>>

/**
 * Reads the standard OpenTelemetry variables. Telemetry is off unless configured: a signal is on
 * when an OTLP endpoint is set for it (`OTEL_EXPORTER_OTLP_ENDPOINT` or the signal's own), or when
 * `OTEL_TRACES_EXPORTER`/`OTEL_METRICS_EXPORTER` asks for `otlp` by name (then the exporter's
 * default endpoint, `http://localhost:4318`, is used). `OTEL_SDK_DISABLED=true` and an exporter of
 * `none` turn a signal off whatever else is set. Unlike the SDK's own defaults, nothing is sent to
 * localhost unasked: a CLI run on a laptop must not try to reach a collector that is not there.
 */
export function readTelemetrySettings(env: Env): TelemetrySettings {
  const warnings: string[] = []
  if (variable(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') {
    return { traces: undefined, metrics: undefined, logLevel: undefined, warnings }
  }
  const traces = readSignal(env, 'traces', warnings)
  const metricSignal = readSignal(env, 'metrics', warnings)
  const intervalMs = milliseconds(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, warnings)
  const timeoutMs = milliseconds(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000, warnings)
  // The SDK's reader refuses a timeout longer than its interval.
  const metrics =
    metricSignal === undefined
      ? undefined
      : { ...metricSignal, exportIntervalMs: intervalMs, exportTimeoutMs: Math.min(timeoutMs, intervalMs) }
  return { traces, metrics, logLevel: readLogLevel(env, warnings), warnings }
}

function readSignal(env: Env, signal: keyof typeof SIGNAL_VARIABLES, warnings: string[]): SignalSettings | undefined {
  const name = SIGNAL_VARIABLES[signal]
  const exporterVariable = `OTEL_${name}_EXPORTER`
  const exporters = variable(env, exporterVariable)
    ?.split(',')
    .map((exporter) => exporter.trim().toLowerCase())
    .filter((exporter) => exporter !== '')
  if (exporters?.includes('none') === true) return undefined
  const unsupported = exporters?.filter((exporter) => exporter !== 'otlp') ?? []
  if (unsupported.length > 0) {
    warnings.push(
      `${exporterVariable}=${unsupported.join(',')} is not supported: Outflow exports ${signal} with otlp (OTLP over HTTP) or none`,
    )
  }
  if (exporters !== undefined && !exporters.includes('otlp')) return undefined
  const endpoint = variable(env, `OTEL_EXPORTER_OTLP_${name}_ENDPOINT`) ?? variable(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')
  if (endpoint === undefined && exporters === undefined) return undefined
  const own = `OTEL_EXPORTER_OTLP_${name}_PROTOCOL`
  const protocolVariable = variable(env, own) === undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : own
  const protocol = variable(env, protocolVariable) ?? 'http/protobuf'
  if (!isOneOf(OTLP_PROTOCOLS, protocol)) {
    warnings.push(
      `${protocolVariable}=${protocol} is not supported: Outflow exports OTLP over HTTP, http/protobuf or http/json; ${signal} are off`,
    )
    return undefined
  }
  return { protocol }
}

function readLogLevel(env: Env, warnings: string[]): DiagnosticLevel | undefined {
  const level = variable(env, 'OTEL_LOG_LEVEL')?.toLowerCase()
  if (level === undefined || isOneOf(DIAGNOSTIC_LEVELS, level)) return level
  warnings.push(`OTEL_LOG_LEVEL=${level} is not one of ${DIAGNOSTIC_LEVELS.join(', ')}`)
  return undefined
}

/** A variable's value; empty counts as unset, as the OpenTelemetry specification says. */
function variable(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function milliseconds(env: Env, name: string, fallback: number, warnings: string[]): number {
  const raw = variable(env, name)
  if (raw === undefined) return fallback
  const parsed = Number(raw)
  if (Number.isInteger(parsed) && parsed > 0) return parsed
  warnings.push(`${name}=${raw} is not a positive whole number of milliseconds; using ${fallback}`)
  return fallback
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value)
}
