import { isAbsolute, resolve } from 'node:path'

import type { DestinationType } from '../destinations/destination-catalog.js'
import { findObjectDescriptor } from '../../providers/registry.js'
import type {
  DestinationDocument,
  MappingDocument,
  ScheduleDocument,
  SourceDocument,
  SourceSpecDocument,
  SyncDocument,
} from '../model/spec-document-types.generated.js'
import type {
  DbtModelRef,
  DeleteLimit,
  DestinationSpec,
  Mapping,
  Schedule,
  SourceSpec,
  SpecMeta,
  SpecOrigin,
  SyncSpec,
} from '../model/spec-types.js'
import type { DbtNode } from '../dbt/dbt-manifest.js'
import { resolveDbtLocation } from './dbt-projects.js'

/*
 * Pure steps from schema-valid documents to specs with every default applied. They never fail:
 * semantic problems (an unknown destination, say) are the rules' to report.
 */

const INTERVAL_UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const

function normalizeMeta(metadata: SourceDocument['metadata'], origin: SpecOrigin): SpecMeta {
  return { name: metadata.name, description: metadata.description, labels: metadata.labels ?? {}, origin }
}

/** Applies `Source` defaults; a relative DuckDB path is resolved against `specDir`. */
export function normalizeSource(document: SourceDocument, origin: SpecOrigin, specDir: string): SourceSpec {
  return { ...normalizeMeta(document.metadata, origin), kind: 'Source', connection: normalizeConnection(document.spec, specDir) }
}

function normalizeConnection(written: SourceSpecDocument, specDir: string): SourceSpec['connection'] {
  const spec = written.dbt === undefined ? written : { ...written, dbt: resolveDbtLocation(written.dbt, specDir) }
  const stateSchema = spec.stateSchema ?? 'outflow'
  switch (spec.type) {
    case 'duckdb': {
      const path = spec.path ?? ':memory:'
      return {
        ...spec,
        stateSchema,
        memoryLimit: spec.memoryLimit ?? '1GB',
        path: path === ':memory:' || isAbsolute(path) ? path : resolve(specDir, path),
      }
    }
    case 'postgres':
      return { ...spec, stateSchema, ssl: spec.ssl ?? 'disable', ...(spec.url === undefined ? { port: spec.port ?? 5432 } : {}) }
    case 'snowflake':
      return { ...spec, stateSchema, schema: spec.schema ?? 'PUBLIC' }
  }
}

/** A `Destination` has no defaults; this only attaches its metadata. */
export function normalizeDestination(document: DestinationDocument, origin: SpecOrigin): DestinationSpec {
  return { ...normalizeMeta(document.metadata, origin), kind: 'Destination', connection: document.spec }
}

/**
 * Applies `Sync` defaults. `destinationType` (from the referenced `Destination`, when it exists)
 * lets the key's field default to the object's only identifier. `dbtModel` is the model a
 * `model: { dbt: name }` resolved to, when it did (without it, the spec is invalid anyway).
 */
export function normalizeSync(
  document: SyncDocument,
  origin: SpecOrigin,
  destinationType: DestinationType | undefined,
  dbtModel?: DbtNode,
): SyncSpec {
  const spec = document.spec
  const descriptor = destinationType === undefined ? undefined : findObjectDescriptor(destinationType, spec.object)
  const onlyIdentifier = descriptor?.identifiers.length === 1 ? descriptor.identifiers[0] : undefined
  const { triggerEvent, ...options } = spec.options ?? {}
  return {
    ...normalizeMeta(document.metadata, origin),
    kind: 'Sync',
    source: spec.source,
    model: 'dbt' in spec.model ? dbtModelRef(spec.model.dbt, dbtModel) : spec.model,
    destination: spec.destination,
    object: spec.object,
    behavior: spec.behavior,
    // Event objects are keyed by an event id column that maps to no destination field.
    key: { column: spec.key.column, field: descriptor?.identifiers.length === 0 ? undefined : (spec.key.field ?? onlyIdentifier) },
    mappings: (spec.mappings ?? []).map(normalizeMapping),
    schedule: normalizeSchedule(spec.schedule),
    options:
      triggerEvent === undefined ? options : { ...options, triggerEvent: { name: triggerEvent.name, on: triggerEvent.on ?? ['create'] } },
    maxDeletes: normalizeDeleteLimit(spec.maxDeletes),
    backfill: spec.backfill ?? false,
  }
}

/**
 * A dbt model as a sync reads it: its relation, with what dbt says of it. Unresolved (an unknown
 * model, say), it names no relation; the rules report why, so such a spec is never returned.
 */
function dbtModelRef(reference: string, model: DbtNode | undefined): DbtModelRef {
  return {
    dbt: reference,
    table: model?.relationName ?? '',
    uniqueId: model?.uniqueId ?? '',
    package: model?.packageName ?? '',
    relation: { database: model?.database ?? null, schema: model?.schema ?? '', alias: model?.alias ?? '' },
    description: model?.description === '' ? undefined : model?.description,
    columns: (model?.columns ?? []).map((c) => ({
      name: c.name,
      description: c.description === '' ? undefined : c.description,
      dataType: c.dataType,
    })),
  }
}

function normalizeMapping(mapping: MappingDocument): Mapping {
  if ('column' in mapping) return { kind: 'column', column: mapping.column, field: mapping.field ?? mapping.column, type: mapping.type }
  if ('constant' in mapping) return { kind: 'constant', value: mapping.constant, field: mapping.field, type: mapping.type }
  return { kind: 'allColumns', case: mapping.case ?? 'preserve', except: mapping.except ?? [] }
}

/** Reads a schedule; no schedule means manual. */
export function normalizeSchedule(schedule: ScheduleDocument | undefined): Schedule {
  if (schedule?.cron !== undefined) return { kind: 'cron', cron: schedule.cron, timezone: schedule.timezone ?? 'UTC' }
  if (schedule?.interval !== undefined)
    return { kind: 'interval', interval: schedule.interval, seconds: intervalSeconds(schedule.interval) }
  return { kind: 'manual' }
}

/** `15m` as seconds; the schema guarantees the form `<digits><s|m|h|d>`. */
export function intervalSeconds(interval: string): number {
  const unit = interval.slice(-1) as keyof typeof INTERVAL_UNIT_SECONDS
  return Number(interval.slice(0, -1)) * INTERVAL_UNIT_SECONDS[unit]
}

function normalizeDeleteLimit(value: number | string | undefined): DeleteLimit | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') return { kind: 'count', count: value }
  return { kind: 'percent', percent: Number(value.slice(0, -1)) }
}
