/** The longest value quoted in a message; a longer one is cut, so that a huge value cannot flood the output. */
export const MAX_QUOTED_LENGTH = 80

/** `value` as JSON, for a message, cut to {@link MAX_QUOTED_LENGTH} characters. */
export function quoteValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value)
  return text.length <= MAX_QUOTED_LENGTH ? text : `${text.slice(0, MAX_QUOTED_LENGTH - 1)}…`
}
