/**
 * Reads a Braze time: ISO 8601, or `yyyy-MM-ddTHH:mm:ss:SSSZ` (milliseconds after a colon), or
 * `yyyy-MM-dd HH:mm:ss`. Without a zone the time is UTC, as Braze reads it (reference section 2.3).
 * Returns epoch milliseconds, or `undefined` when the value is not a time.
 */
export function parseBrazeTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  let text = value.trim().replace(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}):(\d{3})/, '$1T$2.$3')
  text = text.replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/, '$1T$2')
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)) text += 'Z'
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}
