import type { DeliveryRecord, RecordResult } from '../../src/destinations/destination.js'
import { isRecord } from '../../src/util/is-record.js'
import { describeUnexpectedAnswer } from '../../src/destinations/expected-answer.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { CLEVERTAP_ANSWERS } from './clevertap-answers.js'
import { trimVendorMessage } from '../../src/destinations/error-table.js'
import { CLEVERTAP_RETRYABLE_RECORD_CODES } from './clevertap-errors.js'
import { failed } from '../../src/destinations/vendor-outcome.js'
import type { CleverTapUploadRecord } from './clevertap-payload.js'

/** A skipped record as CleverTap reports it. */
interface Skipped {
  code: number
  error: string
}

/** Skipped records by their index in `d`, and those CleverTap did not say the position of. */
interface SkippedRecords {
  byIndex: Map<number, Skipped>
  unattributed: Skipped[]
}

/** "... Skipped record number : 2": the 1-based position in `d`, recorded from the live API (section 3.3). */
const RECORD_NUMBER = /Skipped record number\s*:\s*(\d+)/i

/**
 * One result per record of an upload CleverTap answered with a 2xx. Each `unprocessed` entry is
 * pinned on its record by the "Skipped record number" in its text, else by its `record` (the
 * record re-serialized as JSON, which matches only when CleverTap kept its key order). A skipped
 * record is `rejected` with code `clevertap_<code>` and CleverTap's text (`failed` for a server
 * fault, 555). A skip that cannot be pinned leaves the rest `failed`: to upload again when that
 * is harmless (`idempotent`: profiles), of unknown outcome otherwise (events: a resend would
 * double them). An answer whose counts do not add up to the records sent is unexpected.
 */
export function uploadResults(
  records: readonly DeliveryRecord[],
  sent: readonly CleverTapUploadRecord[],
  response: HttpResponse,
  idempotent: boolean,
): RecordResult[] {
  const body = isRecord(response.body) ? response.body : {}
  const unprocessed = Array.isArray(body['unprocessed']) ? (body['unprocessed'] as unknown[]) : []
  const processed = body['processed']
  if (processed !== sent.length - unprocessed.length) {
    // An answer that does not account for every record sent says nothing sure of any of them.
    const message = `${describeUnexpectedAnswer('CleverTap', CLEVERTAP_ANSWERS.upload, response)}; it accounts for ${String(processed)} processed and ${unprocessed.length} unprocessed of ${sent.length} records sent`
    return records.map((record) => failed(record, 'unexpected_answer', message))
  }
  const { byIndex, unattributed } = readSkipped(unprocessed, sent)
  return records.map((record, index): RecordResult => {
    const skipped = byIndex.get(index)
    if (skipped !== undefined) return skippedResult(record, skipped)
    if (unattributed.length > 0) {
      // Some record was skipped, but which is unknown: a profile is uploaded again (harmless), an
      // event's outcome is unknown (a resend could double it).
      const reasons = unattributed.map((entry) => `${entry.code} ${entry.error}`).join('; ')
      return failed(
        record,
        idempotent ? 'unattributed_error' : 'unexpected_answer',
        `CleverTap skipped records it did not point to: ${reasons}`,
      )
    }
    return { key: record.key, status: 'accepted' }
  })
}

function skippedResult(record: DeliveryRecord, skipped: Skipped): RecordResult {
  const code = `clevertap_${skipped.code}`
  // The texts are fixed per code and never quote the record (its JSON, in `record`, is not kept).
  const message = `${skipped.error} (POST /1/upload)`
  return CLEVERTAP_RETRYABLE_RECORD_CODES.has(skipped.code)
    ? { key: record.key, status: 'failed', code: 'vendor_error', message: `${message} [${code}]` }
    : { key: record.key, status: 'rejected', code, message }
}

function readSkipped(entries: readonly unknown[], sent: readonly CleverTapUploadRecord[]): SkippedRecords {
  const result: SkippedRecords = { byIndex: new Map(), unattributed: [] }
  let serialized: string[] | undefined
  for (const entry of entries) {
    if (!isRecord(entry)) continue
    const skipped = { code: Number(entry['code']), error: trimVendorMessage(entry['error']) ?? 'record skipped' }
    const number = RECORD_NUMBER.exec(typeof entry['error'] === 'string' ? entry['error'] : '')
    let index = number === null ? -1 : Number(number[1]) - 1
    if (!(index >= 0 && index < sent.length) && typeof entry['record'] === 'string') {
      serialized ??= sent.map((record) => JSON.stringify(record))
      const matches = serialized.flatMap((text, at) => (text === entry['record'] ? [at] : []))
      index = matches.length === 1 ? (matches[0] ?? -1) : -1
    }
    if (index >= 0 && index < sent.length) result.byIndex.set(index, skipped)
    else result.unattributed.push(skipped)
  }
  return result
}
