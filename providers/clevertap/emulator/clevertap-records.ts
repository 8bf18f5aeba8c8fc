import { isRecord } from '../../../src/util/is-record.js'
import { CLEVERTAP_IDENTIFIERS, type CleverTapIdentifiers } from './clevertap-identifiers.js'

/** A valid upload record, ready to store. */
export interface CleverTapRecord {
  type: 'profile' | 'event'
  identifiers: CleverTapIdentifiers
  /** Epoch seconds. */
  ts: number
  evtName: string
  /** `profileData` or `evtData`, with `$D_` dates read. */
  data: Record<string, unknown>
}

/** Why a record was skipped: a CleverTap per-record code (section 3.3) and its message. */
export interface CleverTapRecordError {
  code: number
  reason: string
}

/**
 * The message of code 523, recorded from the live API (reference section 3.3); the other texts are
 * [unverified] and follow it. Each gets " Skipped record number : N" appended.
 */
const REASONS = {
  523: "'identity' or 'fbId' or 'gpId' or 'objectId' is necessary under 120 chars to identify the user.",
  524: "Record type must be 'event' or 'profile'.",
  509: 'Event name is mandatory.',
  512: 'Invalid event structure.',
  513: 'Event name is restricted.',
  522: 'Event properties limit exceeded.',
  525: "'ts' must be in epoch seconds.",
} as const

/** System events a client may not upload (code 513). [unverified] list, from CleverTap's system events. */
const RESTRICTED_EVENTS = new Set([
  'App Launched',
  'App Installed',
  'App Uninstalled',
  'Notification Sent',
  'Notification Viewed',
  'Notification Clicked',
  'UTM Visited',
  'Stayed',
])

/** Standard profile fields with a fixed format, and the code of a bad value (section 3.3). */
const PROFILE_FIELD_CHECKS: readonly { key: string; code: number; reason: string; valid: (value: unknown) => boolean }[] = [
  { key: 'Gender', code: 514, reason: "'Gender' must be M or F.", valid: (v) => v === 'M' || v === 'F' },
  {
    key: 'Email',
    code: 515,
    reason: "'Email' is not a valid email address.",
    valid: (v) => typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  },
  {
    key: 'Phone',
    code: 516,
    reason: "'Phone' must be + country code and number.",
    valid: (v) => typeof v === 'string' && /^\+\d{6,15}$/.test(v),
  },
  { key: 'Employed', code: 517, reason: "'Employed' must be Y or N.", valid: (v) => v === 'Y' || v === 'N' },
  {
    key: 'Education',
    code: 518,
    reason: "'Education' must be School, College or Graduate.",
    valid: (v) => v === 'School' || v === 'College' || v === 'Graduate',
  },
  { key: 'Married', code: 519, reason: "'Married' must be Y or N.", valid: (v) => v === 'Y' || v === 'N' },
  { key: 'Age', code: 520, reason: "'Age' must be a number.", valid: (v) => Number.isFinite(typeof v === 'string' ? Number(v) : v) },
]

/** Checks one record of an upload's `d` array; `nowTs` fills a missing `ts`. */
export function readUploadRecord(record: unknown, nowTs: number, maxEventProperties: number): CleverTapRecord | CleverTapRecordError {
  if (!isRecord(record) || (record['type'] !== 'profile' && record['type'] !== 'event')) return failure(524)
  const identifiers = readIdentifiers(record)
  if (identifiers === undefined) return failure(523)
  const ts = readTs(record['ts'], nowTs)
  if (ts === undefined) return failure(525)
  if (record['type'] === 'profile') {
    const data = isRecord(record['profileData']) ? record['profileData'] : {}
    const bad = PROFILE_FIELD_CHECKS.find((check) => data[check.key] !== undefined && !check.valid(data[check.key]))
    if (bad !== undefined) return { code: bad.code, reason: bad.reason }
    return { type: 'profile', identifiers, ts, evtName: '', data: readDates(data) }
  }
  const evtName = record['evtName']
  if (typeof evtName !== 'string' || evtName === '') return failure(509)
  if (RESTRICTED_EVENTS.has(evtName)) return failure(513)
  const evtData = record['evtData'] ?? {}
  if (!isRecord(evtData)) return failure(512)
  if (Object.keys(evtData).length > maxEventProperties) return failure(522)
  return { type: 'event', identifiers, ts, evtName, data: readDates(evtData) }
}

function failure(code: keyof typeof REASONS): CleverTapRecordError {
  return { code, reason: REASONS[code] }
}

/** Identifier values are strings or numbers under 120 characters (the 523 message). */
function readIdentifiers(record: Record<string, unknown>): CleverTapIdentifiers | undefined {
  const identifiers: CleverTapIdentifiers = {}
  for (const kind of CLEVERTAP_IDENTIFIERS) {
    const value = record[kind]
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') identifiers[kind] = String(value)
  }
  const values = Object.values(identifiers)
  return values.length > 0 && values.every((value) => value.length < 120) ? identifiers : undefined
}

/** `ts` is epoch seconds: an integer (or a string of digits) of at most 10 digits; absent means now. */
function readTs(value: unknown, nowTs: number): number | undefined {
  if (value === undefined) return nowTs
  const ts = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  return Number.isInteger(ts) && (ts as number) >= 0 && (ts as number) < 1e10 ? (ts as number) : undefined
}

/** `"$D_<epoch seconds>"` strings are dates (section 3.3); stored as ISO 8601. */
function readDates(data: Record<string, unknown>): Record<string, unknown> {
  const read: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    const date = typeof value === 'string' ? /^\$D_(\d{1,10})$/.exec(value) : null
    read[key] = date === null ? value : new Date(Number(date[1]) * 1000).toISOString()
  }
  return read
}
