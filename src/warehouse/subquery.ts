/**
 * A query as a subquery, `(query) alias`, with the closing parenthesis on a line of its own: a
 * query that ends in a `-- comment` would otherwise comment it out. Every place that wraps a
 * model wraps it this way, so the text an engine checked as one statement (see
 * `WarehouseReader.describe`) is the text every other statement embeds.
 */
export function subquery(query: string, alias: string): string {
  return `(\n${query}\n) ${alias}`
}
