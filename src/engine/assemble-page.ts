import type { ChangeRow } from '../warehouse/diff/compute-diff.js'
import type { Rejection } from '../warehouse/state/rejected-rows.js'
import type { MappedRecord, MappedRow } from './map-record.js'

/** Rows of a page by what a run does with them: one category per row, the same for `run` and `plan`. */
export interface PageCounts {
  /** Sent because new to the sync, changed since last accepted, or gone from the model. */
  added: number
  changed: number
  removed: number
  /** Sent again after an earlier run could not deliver them. */
  retried: number
  /** Refused before sending (a value that does not fit, a required field missing). */
  refused: number
}

/** A page of change rows, ready to deliver. */
export interface AssembledPage {
  /** Records to deliver, upserts before deletes, so a page's deletes never race its upserts of the same key. */
  records: MappedRecord[]
  refused: Rejection[]
  counts: PageCounts
}

/**
 * Maps a page of change rows to records (pure): each row is refused with its reason, or becomes a
 * record counted by its change, or as retried when its key is among `retriedKeys` (rows an
 * earlier run could not deliver, which would otherwise show as new every run).
 */
export function assemblePage(
  rows: readonly ChangeRow[],
  map: (row: ChangeRow) => MappedRow,
  retriedKeys: ReadonlySet<string>,
): AssembledPage {
  const page: AssembledPage = {
    records: [],
    refused: [],
    counts: { added: 0, changed: 0, removed: 0, retried: 0, refused: 0 },
  }
  const deletes: MappedRecord[] = []
  for (const row of rows) {
    const mapped = map(row)
    if (!mapped.ok) {
      page.refused.push({ key: mapped.key, reason: mapped.reason })
      page.counts.refused++
      continue
    }
    // Upserts before deletes, each in model order: a page's deletes never race its upserts of the same key.
    if (mapped.record.op === 'delete') deletes.push(mapped.record)
    else page.records.push(mapped.record)
    if (row.op !== 'removed' && retriedKeys.has(row.key)) page.counts.retried++
    else page.counts[row.op]++
  }
  for (const record of deletes) page.records.push(record)
  return page
}

/** The keys of a page worth looking up among earlier refusals: every row that is sent, not removed. */
export function retryCandidates(rows: readonly ChangeRow[]): string[] {
  return rows.filter((row) => row.op !== 'removed').map((row) => row.key)
}
