import { canonicalJson } from '../canonical-json.js'
import { isRecord } from '../util/is-record.js'

/** A column a dbt model documents (in its YAML properties; dbt does not list undocumented ones). */
export interface DbtColumn {
  name: string
  description: string
  /** The declared `data_type`, when there is one. */
  dataType: string | undefined
}

/** The resource types whose nodes hold rows: what a model can be built from. */
export const DBT_DATA_RESOURCE_TYPES = ['model', 'seed', 'snapshot'] as const
export type DbtDataResourceType = (typeof DBT_DATA_RESOURCE_TYPES)[number]

/** A model, seed or snapshot of a dbt manifest: the parts Outflow reads. */
export interface DbtNode {
  uniqueId: string
  resourceType: DbtDataResourceType
  name: string
  packageName: string
  /** Null for adapters without databases. */
  database: string | null
  schema: string
  alias: string
  /** The relation as dbt quotes it (`"warehouse"."main"."users"`); null when nothing is built (an ephemeral model). */
  relationName: string | null
  description: string
  columns: readonly DbtColumn[]
  materialized: string
  /** With an enforced contract, the documented columns are exactly the model's columns. */
  contractEnforced: boolean
  /** dbt's checksum of the node's file: a change of its SQL (or seed data) changes it. */
  checksum: string
  /** The unique ids of the nodes it reads (models, seeds, snapshots, sources). */
  dependsOn: readonly string[]
  /** The unique ids of the macros it calls. */
  macros: readonly string[]
  /** Its config as written (dbt's `unrendered_config`) in canonical JSON, to tell a config change. */
  config: string
  fqn: readonly string[]
  tags: readonly string[]
  originalFilePath: string
  /** For a versioned model: its version, and the model's latest one. */
  version: string | undefined
  latestVersion: string | undefined
}

/** A macro's SQL and the macros it calls: a changed macro changes the models calling it. */
export interface DbtMacro {
  sql: string
  macros: readonly string[]
}

/** What Outflow reads of a dbt `manifest.json` (tested with schema v12, dbt 1.11). */
export interface DbtManifest {
  /** The file it was read from, as messages show it. */
  path: string
  /** The root project's name. */
  projectName: string | undefined
  /** dbt's adapter type (`duckdb`, `postgres`, `snowflake`, ...). */
  adapterType: string | undefined
  dbtVersion: string | undefined
  generatedAt: string | undefined
  nodes: ReadonlyMap<string, DbtNode>
  /** Names of disabled models, for a message better than "unknown". */
  disabledModels: readonly string[]
  macros: ReadonlyMap<string, DbtMacro>
}

/**
 * Reads the parts of a parsed `manifest.json` Outflow needs. Pure. Throws a plain `Error` saying
 * what is missing when `json` is not a dbt manifest; the caller names the file.
 */
export function assembleDbtManifest(json: unknown, path: string): DbtManifest {
  if (!isRecord(json) || !isRecord(json['metadata']) || !isRecord(json['nodes'])) {
    throw new Error('not a dbt manifest: expected an object with `metadata` and `nodes`')
  }
  const metadata = json['metadata']
  const nodes = new Map<string, DbtNode>()
  for (const [id, node] of Object.entries(json['nodes'])) {
    const read = readNode(id, node)
    if (read !== undefined) nodes.set(id, read)
  }
  const macros = new Map<string, DbtMacro>()
  for (const [id, macro] of Object.entries(isRecord(json['macros']) ? json['macros'] : {})) {
    if (isRecord(macro)) macros.set(id, { sql: text(macro['macro_sql']), macros: dependsOn(macro, 'macros') })
  }
  return {
    path,
    projectName: optionalText(metadata['project_name']),
    adapterType: optionalText(metadata['adapter_type']),
    dbtVersion: optionalText(metadata['dbt_version']),
    generatedAt: optionalText(metadata['generated_at']),
    nodes,
    disabledModels: disabledModelNames(json['disabled']),
    macros,
  }
}

function readNode(id: string, node: unknown): DbtNode | undefined {
  if (!isRecord(node)) return undefined
  const resourceType = node['resource_type']
  if (!(DBT_DATA_RESOURCE_TYPES as readonly unknown[]).includes(resourceType)) return undefined
  const config = isRecord(node['config']) ? node['config'] : {}
  const contract = isRecord(config['contract']) ? config['contract'] : isRecord(node['contract']) ? node['contract'] : {}
  return {
    uniqueId: id,
    resourceType: resourceType as DbtDataResourceType,
    name: text(node['name']),
    packageName: text(node['package_name']),
    database: optionalText(node['database']) ?? null,
    schema: text(node['schema']),
    alias: optionalText(node['alias']) ?? text(node['name']),
    relationName: optionalText(node['relation_name']) ?? null,
    description: text(node['description']),
    columns: readColumns(node['columns']),
    materialized: text(config['materialized']),
    contractEnforced: contract['enforced'] === true,
    checksum: isRecord(node['checksum']) ? text(node['checksum']['checksum']) : '',
    dependsOn: dependsOn(node, 'nodes'),
    macros: dependsOn(node, 'macros'),
    config: canonicalJson(isRecord(node['unrendered_config']) ? node['unrendered_config'] : config),
    fqn: strings(node['fqn']),
    tags: strings(node['tags']),
    originalFilePath: text(node['original_file_path']),
    version: versionText(node['version']),
    latestVersion: versionText(node['latest_version']),
  }
}

function readColumns(columns: unknown): DbtColumn[] {
  if (!isRecord(columns)) return []
  return Object.entries(columns).flatMap(([key, column]) => {
    if (!isRecord(column)) return []
    return [
      { name: optionalText(column['name']) ?? key, description: text(column['description']), dataType: optionalText(column['data_type']) },
    ]
  })
}

function disabledModelNames(disabled: unknown): string[] {
  if (!isRecord(disabled)) return []
  return Object.values(disabled).flatMap((versions) =>
    (Array.isArray(versions) ? versions : []).flatMap((node: unknown) =>
      isRecord(node) && node['resource_type'] === 'model' ? [text(node['name'])] : [],
    ),
  )
}

function dependsOn(node: Record<string, unknown>, kind: 'nodes' | 'macros'): string[] {
  return isRecord(node['depends_on']) ? strings(node['depends_on'][kind]) : []
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function versionText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}
