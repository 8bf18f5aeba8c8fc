import type { SyncAlert } from './alert.js'
import type { FieldType } from './field-type.js'
import type { Behavior } from './behavior.js'
import type {
  AlertSyncsDocument,
  DestinationSpecDocument,
  LoopsTriggerEvent,
  SourceSpecDocument,
  SqlModel,
  SyncOptionsDocument,
  TableModel,
} from './spec-document-types.generated.js'

/** Where a spec was written: its file and the 1-based line its document starts on. */
export interface SpecOrigin {
  file: string
  line: number
}

/** Name, description and labels of any spec, with defaults applied. */
export interface SpecMeta {
  name: string
  description: string | undefined
  labels: Readonly<Record<string, string>>
  origin: SpecOrigin
}

/** A `Source` with defaults applied (`stateSchema`; DuckDB `path` and `dbt` paths resolved against its file). */
export type SourceSpec = SpecMeta & { kind: 'Source'; connection: SourceSpecDocument & { stateSchema: string } }

/** A `Destination` as written (it has no defaults). */
export type DestinationSpec = SpecMeta & { kind: 'Destination'; connection: DestinationSpecDocument }

/**
 * A dbt model a sync names (`model: { dbt: users }`), resolved when the specs are loaded through
 * the manifest of its Source's dbt project: `table` is the relation dbt builds, which the engine
 * reads like any table model. Only `dbt` and `table` decide what is sent (the spec hash); the
 * rest describes the model.
 */
export interface DbtModelRef {
  /** The model as the spec names it: `users`, or `package.users`. */
  dbt: string
  /** The relation as dbt quotes it: `"warehouse"."main"."users"`. */
  table: string
  /** dbt's id of the model: `model.shop.users`. */
  uniqueId: string
  /** The dbt package (project) it belongs to. */
  package: string
  relation: { database: string | null; schema: string; alias: string }
  description: string | undefined
  /** The columns its dbt properties document (not necessarily all of them, unless its contract is enforced). */
  columns: readonly { name: string; description: string | undefined; dataType: string | undefined }[]
}

/** What a sync reads: a query, a table, or a dbt model resolved to its relation. */
export type SyncModel = SqlModel | TableModel | DbtModelRef

/** A mapping with its defaults applied: every column and constant mapping names its field. */
export type Mapping =
  | { kind: 'column'; column: string; field: string; type: FieldType | undefined }
  | { kind: 'constant'; value: string | number | boolean; field: string; type: FieldType | undefined }
  | { kind: 'allColumns'; case: 'preserve' | 'camel' | 'snake' | 'lower'; except: readonly string[] }

/** When a sync runs. */
export type Schedule =
  { kind: 'manual' } | { kind: 'cron'; cron: string; timezone: string } | { kind: 'interval'; interval: string; seconds: number }

/** The `mirror` safety limit: an absolute count or a share of what the sync has written. */
export type DeleteLimit = { kind: 'count'; count: number } | { kind: 'percent'; percent: number }

/** Object options with their defaults applied. */
export type SyncOptions = Omit<SyncOptionsDocument, 'triggerEvent'> & {
  triggerEvent?: Required<LoopsTriggerEvent>
}

/** A `Sync` with defaults applied: what the runner, the plan and the Pulumi provider work from. */
export type SyncSpec = SpecMeta & {
  kind: 'Sync'
  source: string
  model: SyncModel
  destination: string
  object: string
  behavior: Behavior
  /** `field` is undefined for event objects (keyed by an event id column) or when it cannot be defaulted. */
  key: { column: string; field: string | undefined }
  mappings: readonly Mapping[]
  schedule: Schedule
  options: SyncOptions
  maxDeletes: DeleteLimit | undefined
  backfill: boolean
  /**
   * The alerts told about its runs and drift: those it lists and those whose `syncs` select it,
   * by name. Left out when there are none, so a sync without alerts is registered as before.
   */
  alerts?: readonly SyncAlert[]
}

/**
 * An `Alert` with defaults applied. Each sync it applies to carries it resolved, as a
 * {@link SyncAlert}; `syncs` says which, besides those that list it.
 */
export type AlertSpec = SpecMeta &
  Omit<SyncAlert, 'name'> & {
    kind: 'Alert'
    /** The syncs it selects besides those that list it; none when left out. */
    syncs: AlertSyncsDocument | undefined
  }

/** A complete, valid set of specs. */
export interface SpecSet {
  sources: readonly SourceSpec[]
  destinations: readonly DestinationSpec[]
  syncs: readonly SyncSpec[]
  alerts: readonly AlertSpec[]
}
