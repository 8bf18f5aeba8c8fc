import type { RuleContext, SpecRule } from './rule.js'

/** The engine each dbt adapter builds into, for the Source types Outflow reads. */
const ADAPTER_OF_SOURCE = { duckdb: 'duckdb', postgres: 'postgres', snowflake: 'snowflake' } as const

/**
 * A Source's dbt project can be read: an error when one of its syncs names a dbt model (unless
 * the manifests are optional, when those syncs are left out), a warning otherwise. And a
 * manifest dbt wrote for another engine than the Source's is a warning.
 */
export const dbtProject: SpecRule = {
  name: 'dbt-project',
  reads: ['/spec/dbt', '/spec/type'],
  *check(context) {
    for (const { source, load } of context.dbtProjects) {
      const { document, spec } = source
      if (load === undefined) continue
      if ('error' in load) {
        const used = usesDbtModels(context, spec.name)
        const required = used && context.dbtManifestsRequired
        const leftOut = used && !required ? '; the syncs naming its models are left out' : ''
        yield { document, pointer: '/spec/dbt', message: `${load.error}${leftOut}`, severity: required ? 'error' : 'warning' }
        continue
      }
      const adapter = load.project.manifest.adapterType
      const expected = ADAPTER_OF_SOURCE[spec.connection.type]
      if (adapter !== undefined && adapter !== expected) {
        yield {
          document,
          pointer: '/spec/dbt',
          severity: 'warning',
          message: `dbt built ${load.project.manifest.path} with the ${adapter} adapter, but source "${spec.name}" is ${spec.connection.type}: its models may not be in this warehouse`,
        }
      }
    }
  },
}

function usesDbtModels(context: RuleContext, source: string): boolean {
  return context.syncs.some(({ spec }) => spec.source === source && 'dbt' in spec.model)
}
