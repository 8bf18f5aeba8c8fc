import type { FieldValue } from '../../destinations/destination.js'
import type { ValueForms } from '../../destinations/record-reader.js'
import { readVendorDate, sameInstant } from './vendor-date.js'

/** A field whose value at the vendor is not what the model row maps to. */
export interface FieldDifference {
  field: string
  /** What the sync sends for the field (typed as the mapping casts it). */
  expected: FieldValue
  /** What the vendor holds; undefined when it has no such field. */
  actual: unknown
}

/** Tolerance for numbers the vendor stored as floating point, relative to the value. */
const NUMBER_TOLERANCE = 1e-9

/**
 * The fields whose vendor value differs from the mapped one. Only fields the sync writes are
 * compared: other systems may write the rest of the record. Pure.
 */
export function differingFields(
  expected: Readonly<Record<string, FieldValue>>,
  actual: Readonly<Record<string, unknown>>,
  forms: ValueForms,
): FieldDifference[] {
  const differences: FieldDifference[] = []
  for (const [field, value] of Object.entries(expected)) {
    const stored = Object.hasOwn(actual, field) ? actual[field] : undefined
    if (!sameValue(field, value, stored, forms)) differences.push({ field, expected: value, actual: stored })
  }
  return differences
}

/**
 * Whether the vendor holds the value sent, in whatever form it keeps it: a null sent is a field
 * removed or emptied (Braze and Loops drop it, Loops empties its standard text fields); dates in
 * any of the vendors' forms, to their precision; numbers and booleans as JSON or as text; text
 * that the vendor typed as a number or boolean (CleverTap infers types); case only where the
 * vendor changes it.
 */
export function sameValue(field: string, expected: FieldValue, actual: unknown, forms: ValueForms): boolean {
  if (expected === null || expected === '') return actual === undefined || actual === null || actual === ''
  if (actual === undefined || actual === null) return false
  if (expected instanceof Date) {
    const stored = readVendorDate(actual)
    return stored !== undefined && sameInstant(expected, stored, forms.datePrecisionMs)
  }
  if (typeof expected === 'number') return sameNumber(expected, actual)
  if (typeof expected === 'boolean') return actual === expected || actual === String(expected)
  if (typeof actual === 'number' || typeof actual === 'boolean') return String(actual) === expected
  if (typeof actual !== 'string') return false
  return actual === expected || (forms.caseInsensitiveFields.includes(field) && actual.toLowerCase() === expected.toLowerCase())
}

function sameNumber(expected: number, actual: unknown): boolean {
  const stored = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : Number.NaN
  return Number.isFinite(stored) && Math.abs(stored - expected) <= NUMBER_TOLERANCE * Math.max(1, Math.abs(expected))
}
