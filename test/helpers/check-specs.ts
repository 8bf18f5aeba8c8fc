import { assembleSpecs, type SpecCheckResult } from '../../src/spec/assemble-specs.js'
import { formatProblem } from '../../src/spec/problem.js'

/** A Source and one Destination of each vendor, for tests that write only a Sync. */
export const BASE_SPECS = `
apiVersion: outflow/v1
kind: Source
metadata: { name: warehouse }
spec: { type: duckdb, path: warehouse.duckdb }
---
apiVersion: outflow/v1
kind: Destination
metadata: { name: loops }
spec: { type: loops, apiKey: { secret: LOOPS_API_KEY } }
---
apiVersion: outflow/v1
kind: Destination
metadata: { name: braze }
spec: { type: braze, restEndpoint: "https://rest.iad-01.braze.com", apiKey: { secret: BRAZE_API_KEY } }
---
apiVersion: outflow/v1
kind: Destination
metadata: { name: clevertap }
spec: { type: clevertap, accountId: ACC-1, passcode: { env: CT_PASSCODE }, region: eu1 }
---
apiVersion: outflow/v1
kind: Destination
metadata: { name: courier }
spec: { type: courier, authToken: { secret: COURIER_AUTH_TOKEN } }
`

/** Checks in-memory spec files (path to YAML text), as if they were in `/project/syncs`. */
export function checkSpecs(files: Record<string, string>): SpecCheckResult {
  return assembleSpecs(Object.entries(files).map(([path, text]) => ({ path, dir: '/project/syncs', text })))
}

/** Checks one Sync spec (its `spec:` body, indented by two) next to {@link BASE_SPECS}; returns the formatted errors. */
export function syncErrors(specBody: string, name = 'under-test'): string[] {
  const sync = `apiVersion: outflow/v1\nkind: Sync\nmetadata: { name: ${name} }\nspec:\n${specBody}`
  return checkSpecs({ 'base.yaml': BASE_SPECS, 'sync.yaml': sync }).errors.map(formatProblem)
}
