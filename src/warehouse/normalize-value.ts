import type { WarehouseValue } from './warehouse-adapter.js'

/**
 * Brings driver values to one shape: integers beyond 2^53 and other bigints become strings
 * (exact) rather than losing digits; byte arrays become base64; nested lists and structs recurse.
 */
export function normalizeValue(value: unknown): WarehouseValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map(normalizeValue)
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeValue(v)]))
  return null // symbols and functions: no warehouse driver returns them
}

/** Normalizes every value of a row. */
export function normalizeRow(row: Record<string, unknown>): Record<string, WarehouseValue> {
  const out: Record<string, WarehouseValue> = {}
  // A plain loop: entries would allocate a pair per value, on every row a query streams.
  for (const key of Object.keys(row)) out[key] = normalizeValue(row[key])
  return out
}
