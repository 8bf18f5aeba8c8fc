/** A node of a test manifest: a model by default, in package `shop`, built as a table in `warehouse.main`. */
export interface FixtureNode {
  name: string
  resourceType?: 'model' | 'seed' | 'snapshot' | 'test'
  packageName?: string
  schema?: string
  alias?: string
  materialized?: string
  checksum?: string
  description?: string
  columns?: string[]
  contract?: boolean
  dependsOn?: string[]
  macros?: string[]
  tags?: string[]
  config?: Record<string, unknown>
  path?: string
  version?: number
  latestVersion?: number
}

/** The unique id dbt gives a node. */
export function uniqueId(node: FixtureNode): string {
  const version = node.version === undefined ? '' : `.v${String(node.version)}`
  return `${node.resourceType ?? 'model'}.${node.packageName ?? 'shop'}.${node.name}${version}`
}

/** A dbt manifest (the shape of schema v12, only the fields Outflow reads and a few it does not) holding `nodes`. */
export function manifestJson(
  nodes: readonly FixtureNode[],
  options: { macros?: Record<string, string>; disabled?: string[]; adapter?: string } = {},
): Record<string, unknown> {
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      dbt_version: '1.11.16',
      project_name: 'shop',
      adapter_type: options.adapter ?? 'duckdb',
      generated_at: '2026-01-01T00:00:00Z',
    },
    nodes: Object.fromEntries(nodes.map((node) => [uniqueId(node), nodeJson(node)])),
    macros: Object.fromEntries(
      Object.entries(options.macros ?? {}).map(([id, sql]) => [id, { unique_id: id, macro_sql: sql, depends_on: { macros: [] } }]),
    ),
    disabled: Object.fromEntries(
      (options.disabled ?? []).map((name) => [`model.shop.${name}`, [{ name, resource_type: 'model', unique_id: `model.shop.${name}` }]]),
    ),
    sources: {},
    exposures: {},
  }
}

function nodeJson(node: FixtureNode): Record<string, unknown> {
  const materialized = node.materialized ?? (node.resourceType === 'seed' ? 'seed' : 'table')
  const alias = node.alias ?? node.name
  const schema = node.schema ?? 'main'
  const packageName = node.packageName ?? 'shop'
  return {
    unique_id: uniqueId(node),
    resource_type: node.resourceType ?? 'model',
    name: node.name,
    package_name: packageName,
    database: 'warehouse',
    schema,
    alias,
    relation_name: materialized === 'ephemeral' ? null : `"warehouse"."${schema}"."${alias}"`,
    description: node.description ?? '',
    columns: Object.fromEntries((node.columns ?? []).map((c) => [c, { name: c, description: '', data_type: null }])),
    config: { materialized, contract: { enforced: node.contract ?? false }, ...node.config },
    unrendered_config: { materialized, ...node.config },
    checksum: { name: 'sha256', checksum: node.checksum ?? `${node.name}-1` },
    depends_on: { nodes: node.dependsOn ?? [], macros: node.macros ?? [] },
    fqn: [packageName, ...(node.path === undefined ? [] : node.path.split('/').slice(1, -1)), node.name],
    tags: node.tags ?? [],
    original_file_path: node.path ?? `models/${node.name}.sql`,
    version: node.version ?? null,
    latest_version: node.latestVersion ?? null,
  }
}
