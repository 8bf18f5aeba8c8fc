/**
 * A count with its noun, as CLI text says it: `1 sync`, `2 syncs`, `12,345 rows`, `1 batch`.
 * Numbers are grouped the English way; `many` is for nouns that do not just take an `s`.
 *
 * @example plural(1, 'batch', 'batches') // '1 batch'
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${nounFor(count, one, many)}`
}

/** The noun alone, for a count shown elsewhere: `request` for 1, `requests` otherwise (0 included). */
export function nounFor(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many
}
