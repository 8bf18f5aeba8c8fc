import { OutflowError } from '../errors.js'

/** The range a numeric option must be in. */
interface NumberRange {
  min: number
  max?: number
  /** Whether only whole numbers are allowed. */
  whole?: boolean
}

/**
 * Returns `value`, or `fallback` when it is undefined; throws `OPTION_INVALID` naming the option
 * when it is not a finite number in the range (a whole one, if asked).
 */
export function checkNumberOption(name: string, value: number | undefined, fallback: number, range: NumberRange): number {
  if (value === undefined) return fallback
  const { min, max = Number.MAX_SAFE_INTEGER, whole = false } = range
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
    const kind = whole ? 'a whole number' : 'a number'
    const bounds = max === Number.MAX_SAFE_INTEGER ? `of at least ${String(min)}` : `from ${String(min)} to ${String(max)}`
    throw new OutflowError('OPTION_INVALID', `invalid ${name} ${String(value)}: expected ${kind} ${bounds}`)
  }
  return value
}
