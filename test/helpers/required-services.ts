/**
 * Services a run must have, from OUTFLOW_REQUIRE_SERVICES (comma-separated: postgres, snowflake,
 * pulumi, temporal, actionlint, dbt). CI sets it so that a missing one fails the run instead of skipping its tests.
 */
export function requiredServices(): Set<string> {
  return new Set(
    (process.env['OUTFLOW_REQUIRE_SERVICES'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
}
