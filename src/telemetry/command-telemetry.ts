import type { Command } from 'commander'

import { startTelemetry, type RunningTelemetry } from './start-telemetry.js'

/**
 * The commands that talk to vendors or run for long: only these start telemetry. The others
 * (validate, plan, status, …) end in a moment and send nothing worth tracing.
 */
const TRACED_COMMANDS: ReadonlySet<string> = new Set(['run', 'schedule', 'worker', 'verify'])

/**
 * Parses and runs a CLI invocation with telemetry around its command: started just before a
 * traced command's action (when the `OTEL_*` variables ask for it), and shut down after it, however
 * it ended, so that a short `outflow run` has exported every span and metric before it exits.
 * `warn` shows what telemetry has to say (an unsupported variable, an export that failed).
 */
export async function withCommandTelemetry<T>(program: Command, warn: (message: string) => void, parse: () => Promise<T>): Promise<T> {
  let running: RunningTelemetry | undefined
  program.hook('preAction', async (_program, action) => {
    if (running === undefined && TRACED_COMMANDS.has(action.name())) running = await startTelemetry({ onWarning: warn })
  })
  try {
    return await parse()
  } finally {
    await running?.shutdown()
  }
}
