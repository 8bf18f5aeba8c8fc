/** A date read from a vendor: the instant, and whether the vendor kept only the day. */
export interface VendorDate {
  ms: number
  dayOnly: boolean
}

/** Epoch numbers below this are seconds (until the year 5138), above it milliseconds. */
const SECONDS_LIMIT = 1e11

/**
 * Reads a date in the forms the vendors store or return it: CleverTap's `$D_<epoch seconds>`,
 * epoch seconds or milliseconds, ISO 8601 (without a zone it is UTC, as the warehouse's
 * timestamps are), Braze's `yyyy-MM-ddTHH:mm:ss:SSSZ` (milliseconds after a colon) and
 * `yyyy-MM-dd HH:mm:ss`, and a bare `YYYY-MM-DD` (Braze `dob`, Courier `birthdate`). Undefined for
 * anything else.
 */
export function readVendorDate(value: unknown): VendorDate | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? { ms: value < SECONDS_LIMIT ? value * 1000 : value, dayOnly: false } : undefined
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  const clevertap = /^\$D_(-?\d+)$/.exec(text)
  if (clevertap !== null) return { ms: Number(clevertap[1]) * 1000, dayOnly: false }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return instant(`${text}T00:00:00Z`, true)
  if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(text)) return undefined
  const iso = text.replace(/^(\S+)[ T](\d{2}:\d{2}:\d{2}):(\d{3})/, '$1T$2.$3').replace(' ', 'T')
  return instant(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`, false)
}

function instant(text: string, dayOnly: boolean): VendorDate | undefined {
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : { ms, dayOnly }
}

/**
 * Whether a vendor's date is the date sent, to the precision the vendor keeps: the day for a
 * day-only date, whole `precisionMs` otherwise (CleverTap keeps seconds).
 */
export function sameInstant(sent: Date, stored: VendorDate, precisionMs: number): boolean {
  if (stored.dayOnly) return sent.toISOString().slice(0, 10) === new Date(stored.ms).toISOString().slice(0, 10)
  const step = Math.max(1, precisionMs)
  return Math.floor(sent.getTime() / step) === Math.floor(stored.ms / step)
}
