import { availableParallelism } from 'node:os'

import type { Exchange } from './sync-bench-emulator.js'
import type { PhaseReport } from './sync-bench-phases.js'

/** The vendor operations that carry records, by emulator: what the throughput counts. */
export const DELIVERY_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  loops: ['createContact', 'updateContact', 'deleteContact'],
  braze: ['users.track', 'users.delete'],
  clevertap: ['upload'],
}

/** One printed line: the fields every figure has, then its own. */
export type FigureLine = Record<string, unknown>

/** How the vendor answered: requests, and the share of them answered 429. */
export function answers(exchanges: readonly Exchange[]): { requests: number; share429: number } {
  const refused = exchanges.filter((e) => e.status === 429).length
  return { requests: exchanges.length, share429: exchanges.length === 0 ? 0 : refused / exchanges.length }
}

/**
 * Records a second the destination accepted in the steady state, from the emulator's clock.
 * With a limit of `burst` requests per window, request i + burst may leave only once request i is a
 * window old; so the rate is the records of all but the last `burst` delivery requests over the
 * time from the first delivery request to the first of those last `burst`. This is exact both for
 * evenly spaced requests and for bursts of `burst` once a window, and it leaves out the start
 * (diff, prepare) and the end (recording, the last partial window) of the run.
 */
export function steadyRecordsPerSecond(deliveries: readonly Exchange[], burst: number): number {
  const sorted = [...deliveries].sort((a, b) => a.at - b.at)
  const last = sorted.length - burst
  const first = sorted[0]
  const edge = sorted[last]
  if (first === undefined || edge === undefined || last < 1 || edge.at <= first.at) return Number.NaN
  const records = sorted.slice(0, last).reduce((sum, e) => sum + accepted(e), 0)
  return records / ((edge.at - first.at) / 1000)
}

/**
 * Records a second over a stretch of delivery requests: the records of all but the last, over the
 * time from the first to the last. Unlike {@link steadyRecordsPerSecond} it assumes nothing of the
 * limit, so it compares two parts of one run (the start and the end of a growing store).
 */
export function spanRecordsPerSecond(deliveries: readonly Exchange[]): number {
  const sorted = [...deliveries].sort((a, b) => a.at - b.at)
  const first = sorted[0]
  const last = sorted.at(-1)
  if (first === undefined || last === undefined || last.at <= first.at) return Number.NaN
  const records = sorted.slice(0, -1).reduce((sum, e) => sum + accepted(e), 0)
  return records / ((last.at - first.at) / 1000)
}

/** Records a request delivered: all of them on a 2xx answer (Braze and CleverTap report per-record errors apart). */
export function accepted(exchange: Exchange): number {
  return exchange.status >= 200 && exchange.status < 300 ? exchange.records : 0
}

/**
 * The fields of a run against a binding limit of `rate` requests a second, `perRequest` records
 * each: throughput of the requests of `operations` as a share of the limit, and the 429s.
 */
export function atRateFields(
  operations: readonly string[],
  perRequest: number,
  rows: number,
  rate: number,
  report: PhaseReport,
  exchanges: readonly Exchange[],
): FigureLine {
  const deliveries = exchanges.filter((e) => operations.includes(e.operation))
  const ceiling = rate * perRequest
  const steady = steadyRecordsPerSecond(deliveries, rate)
  const endToEnd = deliveries.reduce((sum, e) => sum + accepted(e), 0) / report.seconds
  return {
    limit: `${rate} requests/s, ${perRequest} record${perRequest === 1 ? '' : 's'} per request`,
    ...runFields(rows, report, exchanges),
    records_per_second: Math.round(steady * 10) / 10,
    efficiency: round(steady / ceiling),
    ratio: null,
    ceiling_records_per_second: ceiling,
    records_per_request: round(deliveries.reduce((sum, e) => sum + e.records, 0) / deliveries.length, 2),
    end_to_end_records_per_second: Math.round(endToEnd * 10) / 10,
    end_to_end_efficiency: round(endToEnd / ceiling),
    measured:
      'records_per_second: steady state, on the emulator clock: records of the delivery requests before the last window of them, over the time from the first to the first of that window; end_to_end: every record over the whole run (diff, prepare and recording included)',
  }
}

/** The fields of a run's line: time, throughput, memory and the vendor's answers. */
export function runFields(rows: number, report: PhaseReport, exchanges: readonly Exchange[]): FigureLine {
  const { requests, share429 } = answers(exchanges)
  return {
    rows,
    seconds: round(report.seconds),
    records_per_second: Math.round(report.delivered / report.seconds),
    peak_rss_mb: report.peakRssMb,
    heap_mb: report.peakHeapMb,
    requests,
    share_429: round(share429, 5),
    delivered: report.delivered,
    ...(report.diffSeconds === undefined ? {} : { diff_seconds: round(report.diffSeconds) }),
    ...(report.counts === undefined
      ? {}
      : { changes: { added: report.counts.added, changed: report.counts.changed, removed: report.counts.removed } }),
    retries: report.retries,
  }
}

/** What every line ends with: where it was measured. */
export function machineFields(): FigureLine {
  return { node: process.version, cpus: availableParallelism() }
}

export function round(n: number, digits = 3): number {
  const scale = 10 ** digits
  return Math.round(n * scale) / scale
}

/** The middle of `values` (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return Number.NaN
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
