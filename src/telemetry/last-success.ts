import type { Attributes } from '@opentelemetry/api'

interface SyncSeen {
  attributes: Attributes
  /** When a run of the sync last succeeded in this process (epoch ms), if one has. */
  succeededAt: number | undefined
}

/**
 * When each sync last succeeded, as far as this process knows: what the "seconds since the last
 * successful run" gauge reads. A process knows only the runs it made (a scheduler or worker that
 * started an hour ago has not seen yesterday's), so until it has seen a sync succeed, the time
 * counts from when it started: the gauge is then a lower bound, which still grows while a sync
 * keeps failing, and so still trips an alert on it.
 */
export class LastSuccess {
  readonly #startedAt: number
  readonly #syncs = new Map<string, SyncSeen>()

  constructor(startedAt = Date.now()) {
    this.#startedAt = startedAt
  }

  /** Notes a run's end: `key` names the sync (its source and name), `attributes` label its gauge. */
  record(key: string, attributes: Attributes, succeeded: boolean, at = Date.now()): void {
    const seen = this.#syncs.get(key)
    const succeededAt = succeeded ? at : seen?.succeededAt
    this.#syncs.set(key, { attributes, succeededAt })
  }

  /** Seconds since each known sync's last success (or since this process started), with its attributes. */
  observe(report: (seconds: number, attributes: Attributes) => void, now = Date.now()): void {
    for (const { attributes, succeededAt } of this.#syncs.values()) {
      report(Math.max(0, (now - (succeededAt ?? this.#startedAt)) / 1000), attributes)
    }
  }
}
