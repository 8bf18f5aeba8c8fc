import type { Row, WarehouseValue } from './warehouse-adapter.js'

/**
 * Reads a column of a state-table row. Snowflake reports unquoted column names in upper case,
 * the others in lower case; state tables use unquoted names, so both spellings are tried.
 */
export function field(row: Row, name: string): WarehouseValue {
  return row[name] ?? row[name.toUpperCase()] ?? null
}

/** {@link field} as a number (counts and versions may arrive as strings from some drivers). */
export function numberField(row: Row, name: string): number {
  return Number(field(row, name) ?? 0)
}

/** {@link field} as a string, or undefined when null. */
export function textField(row: Row, name: string): string | undefined {
  const value = field(row, name)
  return value === null
    ? undefined
    : value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
}

/**
 * The values of model columns in a row, by their exact names, null where absent: a plain loop,
 * as it runs for every row a sync reads.
 */
export function pickColumns(row: Row, columns: readonly string[]): Row {
  const values: Row = {}
  for (const column of columns) values[column] = row[column] ?? null
  return values
}
