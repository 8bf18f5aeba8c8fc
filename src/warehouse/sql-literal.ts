/** A SQL string literal: single quotes doubled. The same in every supported engine. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** Replaces each `?` placeholder with `$1`, `$2`, ...: DuckDB and PostgreSQL style. Statements with params never embed user SQL. */
export function numberedPlaceholders(sql: string): string {
  let index = 0
  return sql.replace(/\?/g, () => `$${++index}`)
}
