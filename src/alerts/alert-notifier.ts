import { randomUUID } from 'node:crypto'

import { redactSecrets } from '../credentials/redact.js'
import { resolveCredential, type CredentialSource } from '../credentials/resolve-credential.js'
import type { SyncAlert } from '../model/alert.js'
import type { SyncSpec } from '../model/spec-types.js'
import { assembleDriftEvent, assembleRunEvent, type AlertEvent } from './alert-event.js'
import type { DriftOutcome, RunOutcome, RunRejections } from './alert-outcomes.js'
import { assembleAlertPost, type AlertSecrets } from './alert-request.js'
import type { AlertWarning } from './alert-warning.js'
import { postAlert, type AlertRetryOptions } from './post-alert.js'
import { runTriggers } from './run-triggers.js'

/** Options of an {@link AlertNotifier}: where secrets come from, how alerts are sent, and who hears of those that fail. */
export interface AlertOptions extends AlertRetryOptions {
  /**
   * Where the alerts' URL and signing-secret references resolve.
   * @default process.env
   */
  credentials?: CredentialSource | undefined
  /** Told of each alert that could not be sent; without it such an alert is dropped silently. */
  onWarning?: ((warning: AlertWarning) => void) | undefined
}

/**
 * Sends the alerts of the syncs it is told about: after each run (`runEnded`) and each
 * verification (`verified`). Sending starts at once and runs beside whatever comes next;
 * `settled` waits for every alert started, each bounded by its deadline, so alerts add at most
 * that to a command, and an alert that cannot be sent is a warning, never a failure of the run.
 */
export class AlertNotifier {
  readonly #options: AlertOptions
  readonly #pending = new Set<Promise<void>>()

  constructor(options: AlertOptions = {}) {
    this.#options = options
  }

  /**
   * A sync's run ended: sends each of its alerts whose triggers the run met. `readRejections`
   * reads the run's rejected rows, only when an alert's `rejected` trigger is met.
   */
  runEnded(sync: SyncSpec, run: RunOutcome, readRejections?: () => Promise<RunRejections>): void {
    const alerts = (sync.alerts ?? []).map((alert) => ({ alert, triggers: runTriggers(alert, run) })).filter((a) => a.triggers.length > 0)
    if (alerts.length === 0) return
    const endedAt = new Date()
    const needsRows = readRejections !== undefined && alerts.some((a) => a.triggers.includes('rejected'))
    const rejections = needsRows ? readRejections().catch(() => undefined) : Promise.resolve(undefined)
    for (const { alert, triggers } of alerts) {
      this.#track(rejections.then((rows) => this.#send(alert, assembleRunEvent(alert, triggers, sync, run, { endedAt, rejections: rows }))))
    }
  }

  /** A sync was verified: sends each of its `drift` alerts when records drifted. */
  verified(sync: SyncSpec, drift: DriftOutcome): void {
    const { missing, different, stillPresent } = drift.counts
    if (drift.outcome !== 'checked' || missing + different + stillPresent === 0) return
    const verifiedAt = new Date()
    for (const alert of sync.alerts ?? []) {
      if (alert.on.includes('drift')) this.#track(this.#send(alert, assembleDriftEvent(alert, sync, drift, verifiedAt)))
    }
  }

  /** Resolves once every alert started has been sent or given up. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending])
  }

  #track(sending: Promise<void>): void {
    const tracked = sending.catch(() => undefined).finally(() => this.#pending.delete(tracked))
    this.#pending.add(tracked)
  }

  async #send(alert: SyncAlert, event: AlertEvent): Promise<void> {
    let secrets: AlertSecrets | undefined
    try {
      secrets = this.#secrets(alert)
      const delivery = { id: randomUUID(), timestamp: Math.floor(Date.now() / 1000) }
      const result = await postAlert(assembleAlertPost(alert, event, secrets, delivery), this.#options)
      if (!result.delivered) this.#warn(alert, event, `not delivered: ${result.problem}`, secrets)
    } catch (error) {
      this.#warn(alert, event, error instanceof Error ? error.message : String(error), secrets)
    }
  }

  /** The alert's URL and signing secret from the environment; a missing one names its variable, never a value. */
  #secrets(alert: SyncAlert): AlertSecrets {
    const source = this.#options.credentials ?? process.env
    const url = resolveCredential(alert.url, 'url', source)
    if (!isHttpUrl(url)) {
      const name = alert.url.secret ?? alert.url.env ?? ''
      throw new Error(`url: the value of ${name} is not an http or https URL (not shown)`)
    }
    const signingSecret = alert.signingSecret === undefined ? undefined : resolveCredential(alert.signingSecret, 'signingSecret', source)
    return { url, signingSecret }
  }

  #warn(alert: SyncAlert, event: AlertEvent, problem: string, secrets: AlertSecrets | undefined): void {
    // A last guard: no message here is built from the URL, but none may ever carry it.
    const safe = redactSecrets(problem, [secrets?.url, secrets?.signingSecret])
    const message = `alert "${alert.name}" (${alert.channel}) for sync "${event.sync.name}" (${event.event}): ${safe}`
    this.#options.onWarning?.({ alert: alert.name, sync: event.sync.name, event: event.event, message })
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
