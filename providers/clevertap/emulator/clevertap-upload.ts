import { setTimeout as sleep } from 'node:timers/promises'

import { isRecord } from '../../../src/util/is-record.js'
import { jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { ResolvedCleverTapConfig } from './clevertap-config.js'
import { clevertapError } from './clevertap-errors.js'
import { readUploadRecord } from './clevertap-records.js'
import type { CleverTapState } from './clevertap-state.js'

/** One skipped record of an upload answer. */
interface Unprocessed {
  status: 'fail'
  code: number
  error: string
  /** The record re-serialised as a JSON string, as the live API returns it. */
  record: string
}

/**
 * `POST /1/upload` with `{ "d": [record, ...] }`: profiles upsert by identifier, events are
 * appended. Always HTTP 200; skipped records are listed in `unprocessed` with their code and the
 * 1-based "Skipped record number" (reference section 3.3).
 */
export async function upload(request: EmulatorRequest, state: CleverTapState, config: ResolvedCleverTapConfig): Promise<EmulatorResponse> {
  const records = isRecord(request.body) ? request.body['d'] : undefined
  if (!Array.isArray(records)) return clevertapError(400, "The body must be an object with a 'd' array of records")
  if (records.length > config.maxRecordsPerUpload) {
    return clevertapError(400, `At most ${config.maxRecordsPerUpload} records may be uploaded per request`)
  }
  // The slot stays taken while the upload "runs", so concurrent uploads can reach the limit.
  if (config.uploadLatencyMs > 0) await sleep(config.uploadLatencyMs, undefined, { signal: request.signal })
  const nowTs = Math.floor(config.clock.epochMs() / 1000)
  const unprocessed: Unprocessed[] = []
  for (const [index, raw] of records.entries()) {
    const record = readUploadRecord(raw, nowTs, config.maxEventProperties)
    if ('code' in record) {
      unprocessed.push({
        status: 'fail',
        code: record.code,
        error: `${record.reason} Skipped record number : ${index + 1}`,
        record: JSON.stringify(raw),
      })
      continue
    }
    const profile = state.upsert(record.identifiers, record.ts)
    if (record.type === 'profile') state.mergeProfileData(profile, record.data)
    else state.addEvent({ identifiers: { ...profile.identifiers }, evtName: record.evtName, ts: record.ts, evtData: record.data })
  }
  const processed = records.length - unprocessed.length
  return jsonResponse(200, { status: uploadStatus(config, processed, unprocessed.length), processed, unprocessed })
}

function uploadStatus(config: ResolvedCleverTapConfig, processed: number, failed: number): 'success' | 'partial' | 'fail' {
  if (config.uploadStatus === 'recorded' || failed === 0) return 'success'
  return processed === 0 ? 'fail' : 'partial'
}
