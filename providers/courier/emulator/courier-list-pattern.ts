/**
 * Matches a list id against a `GET /lists?pattern=` pattern (courier.json `lists_list`): ids are
 * dot-separated parts; `*` stands for exactly one part, and `**` for one or more trailing parts
 * (an ends-with wildcard). A pattern without wildcards matches the id exactly.
 */
export function matchesListPattern(pattern: string, listId: string): boolean {
  const wanted = pattern.split('.')
  const parts = listId.split('.')
  for (const [index, part] of wanted.entries()) {
    if (part === '**') return index === wanted.length - 1 ? parts.length > index : false
    const actual = parts[index]
    if (actual === undefined || (part !== '*' && part !== actual)) return false
  }
  return parts.length === wanted.length
}
