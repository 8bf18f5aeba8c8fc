import type { DeliveryRecord, RecordResult } from '../../src/destinations/destination.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { isRecord } from '../../src/util/is-record.js'
import { trimVendorMessage } from '../../src/destinations/error-table.js'
import { maskRecordValues } from '../../src/destinations/vendor-outcome.js'
import { classifyObjectError } from './braze-errors.js'

/** The `/users/track` array a batch fills. */
export type BrazeTrackArray = 'attributes' | 'events'

/** Refused objects of one array, by index, and errors Braze did not pin on an object of it. */
interface ObjectErrors {
  byIndex: Map<number, string>
  unattributed: string[]
}

/**
 * Whether a `/users/track` answer lists refused objects: `errors` entries with an `index`, as
 * `{ type, input_array, index }` (the shape is [unverified], reference/destinations.md section
 * 2.3; the emulator and third-party client tests use it). A 201 with them is a partial success; a
 * 400 with them means no object was valid.
 */
export function hasObjectErrors(response: HttpResponse): boolean {
  const errors = isRecord(response.body) ? response.body['errors'] : undefined
  return Array.isArray(errors) && errors.some((entry) => isRecord(entry) && typeof entry['index'] === 'number')
}

/**
 * One result per record of a `/users/track` request that Braze answered with 201, or with a 400
 * listing refused objects. A refused object's record is `rejected` with Braze's reason. The others
 * were applied on a 201 and not on a 400. When Braze reports an error it does not pin on an object,
 * the records it may concern are `failed`: to send again when that is harmless (`idempotent`:
 * user upserts), of unknown outcome otherwise (events: Braze never deduplicates them).
 */
export function trackResults(
  records: readonly DeliveryRecord[],
  array: BrazeTrackArray,
  response: HttpResponse,
  idempotent: boolean,
): RecordResult[] {
  const { byIndex, unattributed } = readObjectErrors(response.body, array, records.length)
  const applied = response.status >= 200 && response.status < 300
  return records.map((record, index): RecordResult => {
    const type = byIndex.get(index)
    if (type !== undefined)
      return { key: record.key, status: 'rejected', code: classifyObjectError(type), message: masked(type, record, array, index) }
    if (!applied)
      return {
        key: record.key,
        status: 'failed',
        code: 'batch_rejected',
        message: `Braze applied no object of the request (HTTP ${response.status}, POST /users/track)`,
      }
    if (unattributed.length > 0) {
      // Which object the error concerns is unknown: a user upsert is sent again (harmless), an
      // event's outcome is unknown (Braze never deduplicates, so a resend could double it).
      return {
        key: record.key,
        status: 'failed',
        code: idempotent ? 'unattributed_error' : 'unexpected_answer',
        message: `Braze reported errors it did not pin on an object: ${unattributed.join('; ')}`,
      }
    }
    return { key: record.key, status: 'accepted' }
  })
}

function readObjectErrors(body: unknown, array: BrazeTrackArray, count: number): ObjectErrors {
  const errors = isRecord(body) && Array.isArray(body['errors']) ? (body['errors'] as unknown[]) : []
  const result: ObjectErrors = { byIndex: new Map(), unattributed: [] }
  for (const entry of errors) {
    const type = trimVendorMessage(isRecord(entry) ? entry['type'] : entry) ?? 'unknown error'
    const index = isRecord(entry) ? entry['index'] : undefined
    const inArray = !isRecord(entry) || entry['input_array'] === undefined || entry['input_array'] === array
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < count && inArray) result.byIndex.set(index, type)
    else result.unattributed.push(type)
  }
  return result
}

/** Braze's reason, with the record's own values masked (a text may echo them), and where it was. */
function masked(type: string, record: DeliveryRecord, array: BrazeTrackArray, index: number): string {
  return `${maskRecordValues(type, record)} (POST /users/track, ${array}[${index}])`
}
