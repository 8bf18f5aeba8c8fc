import { requiredServices } from './helpers/required-services.js'

/** Servers some suites need, and the variable that points the tests at each. */
const SERVICES = [
  { name: 'postgres', variable: 'OUTFLOW_TEST_POSTGRES_URL', start: 'bash .ci/start-postgres.sh' },
  { name: 'snowflake', variable: 'OUTFLOW_TEST_SNOWFLAKE_URL', start: 'bash .ci/start-fakesnow.sh' },
  { name: 'pulumi', variable: 'OUTFLOW_TEST_PULUMI_BIN', start: 'bash .ci/build-pulumi.sh' },
  { name: 'temporal', variable: 'OUTFLOW_TEST_TEMPORAL_ADDRESS', start: 'bash .ci/start-temporal.sh' },
  { name: 'actionlint', variable: 'OUTFLOW_TEST_ACTIONLINT_BIN', start: 'bash .ci/build-actionlint.sh' },
  { name: 'dbt', variable: 'OUTFLOW_TEST_DBT_BIN', start: 'bash .ci/install-dbt.sh' },
] as const

/**
 * Says once, before any test, which servers this run has. A missing server skips its suites with
 * this reason, unless OUTFLOW_REQUIRE_SERVICES names it (as CI does): then the run stops here.
 */
export default function setup(): void {
  const required = requiredServices()
  const missing: string[] = []
  for (const service of SERVICES) {
    const url = process.env[service.variable]
    if (url !== undefined && url !== '') {
      console.log(`outflow tests: ${service.name} at ${url}`)
    } else if (required.has(service.name)) {
      missing.push(`${service.name} (set ${service.variable}; \`${service.start}\` prints it)`)
    } else {
      console.log(`outflow tests: ${service.name} suites SKIPPED: set ${service.variable} to run them (\`${service.start}\` prints it)`)
    }
  }
  if (missing.length > 0) throw new Error(`required services are missing: ${missing.join(', ')}`)
}
