import { OutflowError } from '../errors.js'

/** The Temporal SDK packages Outflow's workers and clients use: optional, installed by teams that run workers. */
export const TEMPORAL_PACKAGES = [
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/workflow',
  '@temporalio/activity',
  '@temporalio/envconfig',
]

/**
 * Outflow's Temporal modules, loaded when a command needs them, so that the CLI works without the
 * Temporal SDK installed; without it, a command that needs it says what to install.
 */
export async function temporalModules() {
  try {
    const [settings, worker, runs, schedules, client, shared] = await Promise.all([
      import('../temporal/temporal-settings.js'),
      import('../temporal/run-worker.js'),
      import('../temporal/run-on-temporal.js'),
      import('../temporal/sync-schedules.js'),
      import('../temporal/temporal-client.js'),
      import('../temporal/shared-warehouse.js'),
    ])
    return { ...settings, ...worker, ...runs, ...schedules, ...client, ...shared }
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
    const message = error instanceof Error ? error.message : String(error)
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes('@temporalio/')) {
      throw new OutflowError(
        'WORKFLOW_ENGINE_UNAVAILABLE',
        `running on Temporal needs the Temporal SDK, which is not installed: npm install ${TEMPORAL_PACKAGES.map((p) => `${p}@^1.24`).join(' ')}`,
        { cause: error },
      )
    }
    throw error
  }
}
