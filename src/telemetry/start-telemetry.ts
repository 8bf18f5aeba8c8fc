import type * as otel from '@opentelemetry/api'
import type { Resource } from '@opentelemetry/resources'

import { packageInfo } from '../package-info.js'
import { activeTelemetry, setActiveTelemetry } from './active-telemetry.js'
import { LastSuccess } from './last-success.js'
import { createInstruments } from './outflow-instruments.js'
import { loadMetricExporter, loadSpanExporter } from './telemetry-exporters.js'
import { loadOutflowResource } from './telemetry-resource.js'
import {
  readTelemetrySettings,
  type DiagnosticLevel,
  type MetricSettings,
  type SignalSettings,
  type TelemetrySettings,
} from './telemetry-settings.js'

/** Telemetry started by {@link startTelemetry}. */
export interface RunningTelemetry {
  /** Exports what is left (spans, and the metrics once more) and stops; a short run loses nothing. */
  shutdown(): Promise<void>
}

/** Options of {@link startTelemetry}. */
export interface StartTelemetryOptions {
  /** Where a variable Outflow cannot honour, a failed start and the SDK's diagnostics (OTEL_LOG_LEVEL) are told. */
  onWarning?: (message: string) => void
}

const OFF: RunningTelemetry = { shutdown: () => Promise.resolve() }

interface Provider {
  shutdown(): Promise<void>
}

/**
 * Starts OpenTelemetry as the `OTEL_*` variables say (see `readTelemetrySettings`): traces and
 * metrics over OTLP/HTTP. Off unless configured, and then nothing of the SDK is even imported, so
 * that a run without telemetry pays nothing for it. Telemetry that cannot start is reported and
 * left off: it never stops a sync.
 *
 * The SDK packages are dependencies rather than optional peers, as standard `OTEL_*` variables
 * are all a deployment should need, but are loaded with `import()` only when those ask for them.
 */
export async function startTelemetry(options: StartTelemetryOptions = {}): Promise<RunningTelemetry> {
  const warn = options.onWarning ?? (() => undefined)
  const settings = readTelemetrySettings(process.env)
  for (const warning of settings.warnings) warn(warning)
  // Already running in this process (the CLI's entry point called again inside one): its starter shuts it down.
  if ((settings.traces === undefined && settings.metrics === undefined) || activeTelemetry() !== undefined) return OFF
  try {
    return await startSdk(settings, warn)
  } catch (error) {
    warn(`off: it could not start (${error instanceof Error ? error.message : String(error)})`)
    return OFF
  }
}

/** Loads and starts the SDK for the signals `settings` turns on, then turns the hooks on. */
async function startSdk(settings: TelemetrySettings, warn: (message: string) => void): Promise<RunningTelemetry> {
  const api = await import('@opentelemetry/api')
  const ownsDiagnostics =
    settings.logLevel !== undefined && api.diag.setLogger(diagnosticLogger(warn), diagnosticLevel(api, settings.logLevel))
  const { version } = packageInfo()
  const resource = await loadOutflowResource(version)
  const tracing = settings.traces === undefined ? undefined : await startTracing(settings.traces, resource)
  const metering = settings.metrics === undefined ? undefined : await startMetrics(settings.metrics, resource)
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks')
  // The run's span reaches the requests of its batches through async context, as it does in any OpenTelemetry program.
  const ownsContext = api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const lastSuccess = new LastSuccess()
  setActiveTelemetry({
    api,
    tracer: tracing?.getTracer('outflow', version),
    instruments: metering === undefined ? undefined : createInstruments(metering.getMeter('outflow', version), lastSuccess),
    lastSuccess,
    keys: { sync: api.createContextKey('outflow.sync'), resendCount: api.createContextKey('outflow.resend_count') },
  })
  return {
    shutdown: async () => {
      await shutdown([tracing, metering])
      if (ownsContext) api.context.disable()
      if (ownsDiagnostics) api.diag.disable()
    },
  }
}

/** Turns the hooks off first, so that nothing records into providers that are closing, then flushes each provider. */
async function shutdown(providers: readonly (Provider | undefined)[]): Promise<void> {
  setActiveTelemetry(undefined)
  await Promise.allSettled(providers.map((provider) => provider?.shutdown() ?? Promise.resolve()))
}

/** A tracer provider that batches spans to the OTLP exporter, as the SDK's defaults do (up to 512 spans, every 5 s, and at shutdown). */
async function startTracing(settings: SignalSettings, resource: Resource) {
  const { BatchSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace')
  return new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter: await loadSpanExporter(settings.protocol) })] })
}

/** A meter provider whose reader exports every interval, and once more at shutdown. */
async function startMetrics(settings: MetricSettings, resource: Resource) {
  const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics')
  const reader = new PeriodicExportingMetricReader({
    exporter: await loadMetricExporter(settings.protocol),
    exportIntervalMillis: settings.exportIntervalMs,
    exportTimeoutMillis: settings.exportTimeoutMs,
  })
  return new MeterProvider({ resource, readers: [reader] })
}

function diagnosticLogger(warn: (message: string) => void): otel.DiagLogger {
  const log =
    (level: string) =>
    (message: string, ...args: unknown[]): void =>
      warn(`OpenTelemetry ${level}: ${[message, ...args.map(String)].join(' ')}`)
  return { error: log('error'), warn: log('warning'), info: log('info'), debug: log('debug'), verbose: log('verbose') }
}

function diagnosticLevel(api: typeof otel, level: DiagnosticLevel): otel.DiagLogLevel {
  const levels: Record<DiagnosticLevel, otel.DiagLogLevel> = {
    none: api.DiagLogLevel.NONE,
    error: api.DiagLogLevel.ERROR,
    warn: api.DiagLogLevel.WARN,
    info: api.DiagLogLevel.INFO,
    debug: api.DiagLogLevel.DEBUG,
    verbose: api.DiagLogLevel.VERBOSE,
    all: api.DiagLogLevel.ALL,
  }
  return levels[level]
}
