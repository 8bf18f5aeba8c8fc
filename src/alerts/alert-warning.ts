import type { AlertTrigger } from '../model/alert.js'

/**
 * An alert that could not be sent: which, about what, and why, in words that never hold its URL
 * or signing secret. The run it was about is not affected.
 */
export interface AlertWarning {
  /** The `Alert` document's name. */
  alert: string
  sync: string
  event: AlertTrigger
  /** The whole warning in one line, naming the alert and the sync. */
  message: string
}

/**
 * Where a library call (`runSyncs`, `verifySyncs`) reports an alert it could not send when its
 * caller gave no handler: Node's process warnings, which print to stderr unless the program
 * listens for `warning` or runs with `--no-warnings`.
 */
export function emitAlertWarning(warning: AlertWarning): void {
  process.emitWarning(warning.message, { code: 'OUTFLOW_ALERT_NOT_SENT' })
}
