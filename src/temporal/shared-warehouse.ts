import { OutflowError } from '../errors.js'
import type { SourceSpec } from '../model/spec-types.js'

/**
 * Refuses sources that workers on other machines cannot reach: an embedded DuckDB file is opened
 * by one process at a time, and a run spread over workers reads and writes its warehouse from
 * each of them.
 */
export function refuseUnsharedWarehouses(sources: readonly SourceSpec[]): void {
  const embedded = sources.filter((source) => source.connection.type === 'duckdb')
  if (embedded.length === 0) return
  throw new OutflowError(
    'SPEC_INVALID',
    `${embedded.map((s) => `source "${s.name}" (${s.origin.file}:${s.origin.line})`).join(', ')}: runs on Temporal workers need a warehouse every worker can reach (PostgreSQL or Snowflake); an embedded DuckDB file is opened by one process at a time, so its syncs run with \`outflow run\` or \`outflow schedule\` without --temporal`,
  )
}
