import { isOutflowError } from '../errors.js'
import type { RunStatus } from '../warehouse/state/runs.js'
import type { SyncStateStore } from '../warehouse/state/sync-state-store.js'
import { describeTrip, type BreakerTrip } from './failure-breaker.js'
import { errorSummary, type SyncRunResult } from './sync-run-result.js'

/** What a run knows at its end about why rows were not delivered. */
export interface RunStops {
  /** The breaker's trip, when it stopped the run. */
  trip: BreakerTrip | undefined
  /** The cause that failed most rows. */
  mainFailure: { code: string; message: string } | undefined
}

/** Records how a run ended; a warehouse that fails now fails the next run loudly instead. */
export async function closeRun(state: SyncStateStore, result: SyncRunResult): Promise<void> {
  if (result.runId === undefined) return
  const status: RunStatus = result.status === 'skipped' ? 'failed' : result.status
  try {
    await state.finishRun(result.runId, {
      status,
      counts: result.counts,
      effort: { requests: result.deliveries, retries: result.retries, rateLimited: result.rateLimited, durationMs: result.durationMs },
      diffMs: result.diffMs,
      reason: result.reason,
    })
  } catch {
    // The run's outcome is already in `result`.
  }
}

/** Why a run did not succeed, in one line: its error, the breaker's cause, failed rows and events of unknown outcome. */
export function runReason(result: SyncRunResult, stops: RunStops): string | undefined {
  if (result.status === 'succeeded' || result.status === 'skipped') return undefined
  const parts: string[] = []
  if (result.error !== undefined) parts.push(`${result.error.code}: ${result.error.message}`)
  const { trip, mainFailure } = stops
  if (trip !== undefined && result.error === undefined) parts.push(describeTrip(trip))
  const { failed, unknown } = result.counts
  if (failed > 0 && trip === undefined) {
    const cause = mainFailure === undefined ? '' : ` (${mainFailure.code}: ${mainFailure.message})`
    parts.push(`${plural(failed, 'row')} not delivered${cause}; the next run sends them`)
  }
  if (unknown > 0) {
    parts.push(`${plural(unknown, 'event')} of unknown outcome, never sent again; see \`outflow rejected ${result.sync}\``)
  }
  return parts.length === 0 ? undefined : parts.join('; ')
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`
}

/** An error that ended a run, as its result reports it; an abort says why it was aborted. */
export function describeError(error: unknown, signal: AbortSignal): NonNullable<SyncRunResult['error']> {
  if (signal.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'))) {
    // The abort's reason says why: a lost lease, or a stop (a signal, a caller's AbortController).
    const reason: unknown = signal.reason
    if (isOutflowError(reason)) return errorSummary(reason)
    return { code: 'RUN_INTERRUPTED', message: reason instanceof Error ? reason.message : 'the run was stopped' }
  }
  return errorSummary(error)
}
