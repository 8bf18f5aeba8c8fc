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
 * Outflow's Temporal modules, loaded when a command (or `pulumi up` with a Temporal server) needs
 * them, so that Outflow works without the Temporal SDK installed; without it, what needs it says
 * what to install.
 */
export async function temporalModules() {
  try {
    const [settings, worker, runs, schedules, client, shared] = await Promise.all([
      import('./temporal-settings.js'),
      import('./run-worker.js'),
      import('./run-on-temporal.js'),
      import('./sync-schedules.js'),
      import('./temporal-client.js'),
      import('./shared-warehouse.js'),
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
