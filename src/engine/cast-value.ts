import type { FieldType } from '../destinations/destination-catalog.js'
import type { FieldValue } from '../destinations/destination.js'
import type { WarehouseValue } from '../warehouse/warehouse-adapter.js'

/** A value cast to a field type, or why it cannot be. */
export type CastResult = { ok: true; value: FieldValue } | { ok: false; reason: string }

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1'])
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0'])

/**
 * Casts a warehouse value to a destination field's declared type. Connectors then write the
 * typed value in their vendor's wire format (a Date becomes ISO 8601 for Loops, `$D_<epoch>` for
 * CleverTap). Without a declared type the value keeps its own JavaScript type. A value that does
 * not fit is refused, never guessed at: `"12abc"` is not a number, `"maybe"` is not a boolean.
 */
export function castValue(value: WarehouseValue, type: FieldType | undefined): CastResult {
  if (value === null) return { ok: true, value: null }
  switch (type) {
    case undefined:
      return { ok: true, value: nativeValue(value) }
    case 'string':
      return { ok: true, value: asText(value) }
    case 'number':
      return toNumber(value)
    case 'boolean':
      return toBoolean(value)
    case 'date':
      return toDate(value)
  }
}

/** Lists and structs (JSON, arrays) have no field type of their own: they travel as JSON text. */
function nativeValue(value: Exclude<WarehouseValue, null>): FieldValue {
  return typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value
}

function asText(value: Exclude<WarehouseValue, null>): string {
  if (value instanceof Date) return value.toISOString()
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function toNumber(value: Exclude<WarehouseValue, null>): CastResult {
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : refuse(value, 'a finite number')
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 }
  // Decimals and integers beyond 2^53 arrive as exact strings; the vendors take JSON numbers.
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    if (Number.isFinite(number)) return { ok: true, value: number }
  }
  return refuse(value, 'a number')
}

function toBoolean(value: Exclude<WarehouseValue, null>): CastResult {
  if (typeof value === 'boolean') return { ok: true, value }
  if (typeof value === 'number' && (value === 0 || value === 1)) return { ok: true, value: value === 1 }
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase()
    if (TRUE_WORDS.has(word)) return { ok: true, value: true }
    if (FALSE_WORDS.has(word)) return { ok: true, value: false }
  }
  return refuse(value, 'a boolean (true/false, yes/no, 1/0)')
}

/** Dates from timestamps, from ISO 8601 text, or from epoch seconds (as event tables often store them). */
function toDate(value: Exclude<WarehouseValue, null>): CastResult {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? refuse(value, 'a date') : { ok: true, value }
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: new Date(value * 1000) }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const date = new Date(asUtc(value.trim()))
    if (!Number.isNaN(date.getTime())) return { ok: true, value: date }
  }
  return refuse(value, 'a date (a timestamp, ISO 8601 text or epoch seconds)')
}

/** Warehouse timestamps without a zone are UTC; JavaScript would read `2024-05-01 10:00` as local time. */
function asUtc(text: string): string {
  const zoneless = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(text)
  return zoneless === null ? text : `${zoneless[1] ?? ''}T${zoneless[2] ?? ''}Z`
}

function refuse(value: Exclude<WarehouseValue, null>, expected: string): CastResult {
  const shown = asText(value)
  return { ok: false, reason: `${JSON.stringify(shown.length > 40 ? `${shown.slice(0, 40)}…` : shown)} is not ${expected}` }
}
