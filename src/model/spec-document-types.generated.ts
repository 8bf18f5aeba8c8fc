/**
 * Types of the spec documents as written in YAML, generated from schema/*.json by
 * `npm run gen:types`. Do not edit: change the schema and regenerate (a test checks they match).
 */

/**
 * Any Outflow v1 document: a `Source`, a `Destination`, a `Sync` or an `Alert`. Point editors here with `# yaml-language-server: $schema=<path>/schema/outflow.v1.schema.json`.
 */
export type OutflowDocument = SourceDocument | DestinationDocument | SyncDocument | AlertDocument
/**
 * The version of the Outflow spec format this document is written in.
 */
export type ApiVersion = 'outflow/v1'
/**
 * A name unique among documents of the same kind: lowercase letters, digits and single hyphens, starting with a letter, at most 63 characters. Sync names also name the sync's state in the warehouse, so renaming a sync starts it afresh.
 */
export type ResourceName = string
/**
 * The warehouse connection. `type` selects the engine.
 */
export type SourceSpecDocument = DuckdbSourceSpec | PostgresSourceSpec | SnowflakeSourceSpec
/**
 * How the user authenticates: a password, or a key pair (recommended for service users).
 */
export type SnowflakeAuth = SnowflakePasswordAuth | SnowflakeKeyPairAuth
/**
 * The destination connection. `type` selects the vendor.
 */
export type DestinationSpecDocument =
  LoopsDestinationSpec | BrazeDestinationSpec | ClevertapDestinationSpec | CourierDestinationSpec
/**
 * The rows to sync: a SQL query, a table, or a dbt model, read from the source warehouse.
 */
export type ModelDocument = SqlModel | TableModel | DbtModel
/**
 * One mapping: a column to a field, a constant to a field, or all remaining columns.
 */
export type MappingDocument = ColumnMapping | ConstantMapping | AllColumnsMapping
/**
 * Where the alert goes and when. `channel` selects the payload: `slack` (an incoming webhook's message) or `webhook` (a versioned JSON body, optionally signed).
 */
export type AlertSpecDocument = SlackAlertSpec | WebhookAlertSpec
/**
 * What the alert is sent for: `failed` (a run stopped on an error), `partial` (rows left to retry, events of unknown outcome), `rejected` (rows refused, before sending or by the destination; `{ rejected: { above: 10 } }` or `{ rejected: { above: "2%" } }` for a threshold, bare `rejected` for any), `deletes_blocked` (a `mirror` run stopped by its safety limits) and `drift` (`outflow verify` found records that differ).
 *
 * @minItems 1
 */
export type AlertTriggersDocument = [AlertTriggerDocument, ...AlertTriggerDocument[]]
/**
 * One trigger: its name, or `{ rejected: { above: N } }` for rejected rows above a threshold.
 */
export type AlertTriggerDocument = AlertTriggerName | RejectedTrigger
export type AlertTriggerName = 'failed' | 'partial' | 'rejected' | 'deletes_blocked' | 'drift'
/**
 * The syncs the alert watches besides those that list it in their `alerts`: `all`, or those named or carrying every label given. Left out, only the syncs that list the alert.
 */
export type AlertSyncsDocument = 'all' | AlertSyncSelector

/**
 * A warehouse that sync models are read from. Outflow also keeps each sync's state (snapshots, runs, rejected rows) in a schema of this warehouse.
 */
export interface SourceDocument {
  apiVersion: ApiVersion
  /**
   * The document kind.
   */
  kind: 'Source'
  metadata: Metadata
  spec: SourceSpecDocument
}
/**
 * Identifies the document.
 */
export interface Metadata {
  name: ResourceName
  /**
   * Free text for people reading the spec; shown by `outflow status` and in plans.
   */
  description?: string
  /**
   * Key/value labels for grouping and filtering (for example by team or owner).
   */
  labels?: {
    [k: string]: string
  }
}
/**
 * An embedded DuckDB database, in a file or in memory.
 */
export interface DuckdbSourceSpec {
  /**
   * Embedded DuckDB.
   */
  type: 'duckdb'
  /**
   * Database file, relative to the directory of this spec file; `:memory:` for an in-memory database (its state is lost when the process ends).
   */
  path?: string
  /**
   * DuckDB `memory_limit`: above it DuckDB spills to disk, which keeps memory flat on large models.
   */
  memoryLimit?: string
  /**
   * Schema in this warehouse where Outflow keeps its state tables.
   */
  stateSchema?: string
  dbt?: DbtProjectDocument
}
/**
 * The dbt project that builds this warehouse, so that syncs may name a dbt model (`model: { dbt: users }`): resolved through the project's `manifest.json` to the relation dbt builds it in. Give the project directory (its `target-path`, `target` by default, holds the manifest), the manifest itself, or both. Paths are relative to this file.
 */
export interface DbtProjectDocument {
  /**
   * Directory of the dbt project (the one holding `dbt_project.yml`); `outflow dbt exposures` writes into its first model path.
   */
  project?: string
  /**
   * The `manifest.json` dbt writes (`dbt parse`, `dbt build`); by default `<project>/<target-path>/manifest.json`.
   */
  manifest?: string
}
/**
 * A PostgreSQL database, given either as `url`, a credential reference to a connection URL (`postgres://user:password@host:5432/database`, which usually carries a password), or as separate fields (`host`, `port`, `database`, `user`, `password`).
 */
export interface PostgresSourceSpec {
  /**
   * PostgreSQL.
   */
  type: 'postgres'
  url?: CredentialReference
  /**
   * Server host name or address.
   */
  host?: string
  /**
   * Server port.
   */
  port?: number
  /**
   * Database name.
   */
  database?: string
  /**
   * User name.
   */
  user?: string
  password?: CredentialReference
  /**
   * TLS mode: `disable`, `require` (encrypted, certificate not verified) or `verify-full`.
   */
  ssl?: 'disable' | 'require' | 'verify-full'
  /**
   * Schema in this warehouse where Outflow keeps its state tables.
   */
  stateSchema?: string
  dbt?: DbtProjectDocument
}
/**
 * A reference to a credential, never the credential itself. `{ secret: NAME }` resolves from Pulumi config secrets at apply time and from the environment variable NAME at run time; `{ env: NAME }` always resolves from the environment variable NAME.
 */
export interface CredentialReference {
  /**
   * Name of a secret: a Pulumi config secret at apply time, the environment variable of the same name at run time. A variable name (letters, digits and `_`, not starting with a digit, at most 128 characters), never the credential itself: a value that is not a name is refused without being shown.
   */
  secret?: string
  /**
   * Name of an environment variable that holds the credential. A variable name (letters, digits and `_`, not starting with a digit, at most 128 characters), never the credential itself: a value that is not a name is refused without being shown.
   */
  env?: string
}
/**
 * A Snowflake account.
 */
export interface SnowflakeSourceSpec {
  /**
   * Snowflake.
   */
  type: 'snowflake'
  /**
   * Account identifier (`orgname-accountname`, or a locator with its region).
   */
  account: string
  /**
   * Login name of the user Outflow connects as.
   */
  user: string
  auth: SnowflakeAuth
  /**
   * Virtual warehouse that runs Outflow's queries.
   */
  warehouse: string
  /**
   * Database that holds the models and Outflow's state schema.
   */
  database: string
  /**
   * Default schema for unqualified table names in models.
   */
  schema?: string
  /**
   * Role to use; the user's default role when omitted.
   */
  role?: string
  /**
   * Full URL of the Snowflake endpoint, for private links or a local Snowflake emulator; derived from `account` when omitted.
   */
  accessUrl?: string
  /**
   * Schema in this warehouse where Outflow keeps its state tables.
   */
  stateSchema?: string
  dbt?: DbtProjectDocument
}
export interface SnowflakePasswordAuth {
  /**
   * Password authentication.
   */
  type: 'password'
  password: CredentialReference
}
export interface SnowflakeKeyPairAuth {
  /**
   * Key-pair authentication.
   */
  type: 'keyPair'
  privateKey: CredentialReference
  passphrase?: CredentialReference
}
/**
 * A connection to a SaaS destination. Credentials are references to secrets, never literal values.
 */
export interface DestinationDocument {
  apiVersion: ApiVersion
  /**
   * The document kind.
   */
  kind: 'Destination'
  metadata: Metadata
  spec: DestinationSpecDocument
}
/**
 * Loops (loops.so). Contacts are written one per request, within the team's 10 requests/second limit.
 */
export interface LoopsDestinationSpec {
  /**
   * Loops.
   */
  type: 'loops'
  apiKey: CredentialReference
  /**
   * Overrides the vendor's API base URL, for example to point at `outflow emulate` in tests.
   */
  baseUrl?: string
  /**
   * Caps the connection's request rate below the vendor's documented limits, for an API key shared with other tools: every request group is held to at most this many requests a second (a group whose documented limit is lower keeps it). Changing it never resends a row.
   */
  maxRequestsPerSecond?: number
}
/**
 * Braze. The REST endpoint depends on the instance your workspace lives on.
 */
export interface BrazeDestinationSpec {
  /**
   * Braze.
   */
  type: 'braze'
  /**
   * REST endpoint of your Braze instance (Settings > APIs and Identifiers). The key needs the `users.track`, `users.delete` and `segments.list` permissions.
   */
  restEndpoint: string
  apiKey: CredentialReference
  /**
   * Caps the connection's request rate below the vendor's documented limits, for an API key shared with other tools: every request group is held to at most this many requests a second (a group whose documented limit is lower keeps it). Changing it never resends a row.
   */
  maxRequestsPerSecond?: number
}
/**
 * CleverTap. Records are uploaded in batches of up to 1000, at most 15 uploads in flight.
 */
export interface ClevertapDestinationSpec {
  /**
   * CleverTap.
   */
  type: 'clevertap'
  /**
   * Project (account) id, sent as `X-CleverTap-Account-Id`. It is an identifier, not a secret.
   */
  accountId: string
  passcode: CredentialReference
  /**
   * Region of the CleverTap account: `eu1` (Europe), `in1` (India), `sg1` (Singapore), `us1` (United States), `aps3` (Indonesia), `mec1` (Middle East). A wrong region shows as a credential failure.
   */
  region: 'eu1' | 'in1' | 'sg1' | 'us1' | 'aps3' | 'mec1'
  /**
   * Overrides the vendor's API base URL, for example to point at `outflow emulate` in tests.
   */
  baseUrl?: string
  /**
   * Caps the connection's request rate below the vendor's documented limits, for an API key shared with other tools: every request group is held to at most this many requests a second (a group whose documented limit is lower keeps it). Changing it never resends a row.
   */
  maxRequestsPerSecond?: number
}
/**
 * Courier. Profiles are merged one per request; list subscriptions are limited to 20 writes a minute.
 */
export interface CourierDestinationSpec {
  /**
   * Courier.
   */
  type: 'courier'
  authToken: CredentialReference
  /**
   * Overrides the vendor's API base URL, for example to point at `outflow emulate` in tests.
   */
  baseUrl?: string
  /**
   * Caps the connection's request rate below the vendor's documented limits, for an API key shared with other tools: every request group is held to at most this many requests a second (a group whose documented limit is lower keeps it). Changing it never resends a row.
   */
  maxRequestsPerSecond?: number
}
/**
 * A sync: keeps one destination object in step with one warehouse model.
 */
export interface SyncDocument {
  apiVersion: ApiVersion
  /**
   * The document kind.
   */
  kind: 'Sync'
  metadata: Metadata
  spec: SyncSpecDocument
}
/**
 * What to read, where to write it, and how.
 */
export interface SyncSpecDocument {
  /**
   * Name of the `Source` document whose warehouse the model is read from.
   */
  source: string
  model: ModelDocument
  /**
   * Name of the `Destination` document to write to.
   */
  destination: string
  /**
   * The destination object to write: Loops `contact`; Braze `user` or `event`; CleverTap `profile` or `event`; Courier `profile` or `profileWithList`.
   */
  object: string
  /**
   * How records are written. `upsert`: update or create. `update`: update existing records only. `create`: create new records only. `mirror`: upsert, and remove what this sync wrote earlier that is gone from the model. `send`: send each new row once, as an event.
   */
  behavior: 'upsert' | 'update' | 'create' | 'mirror' | 'send'
  key: SyncKeyDocument
  /**
   * How model columns become destination fields. Each entry maps one column, sets one constant, or maps all remaining columns.
   */
  mappings?: MappingDocument[]
  schedule?: ScheduleDocument
  options?: SyncOptionsDocument
  /**
   * Safety limit for `mirror`: a run (and its plan) stops before deleting more than this many records, given as a count or as a percentage of the records this sync has written.
   */
  maxDeletes?: number | string
  /**
   * For `send`: on the first run, send the rows already in the model (`true`) or only rows that appear from then on (`false`).
   */
  backfill?: boolean
  /**
   * Names of `Alert` documents told about this sync's runs (and its drift, found by `outflow verify`), besides the alerts whose `syncs` select it. Changing them never resends a row.
   */
  alerts?: ResourceName[]
}
export interface SqlModel {
  /**
   * A SELECT query in the warehouse's dialect. Each output column can be mapped by name.
   */
  sql: string
}
export interface TableModel {
  /**
   * A table or view, optionally qualified with its schema (`schema.table`).
   */
  table: string
}
export interface DbtModel {
  /**
   * A dbt model, by name (or `package.name`): resolved through the manifest of the dbt project its Source names (`dbt`) to the relation dbt builds it in, with its columns and description.
   */
  dbt: string
}
/**
 * The column that identifies a row, and the destination identifier it maps to. Event objects are keyed by an event id column and take no `field`.
 */
export interface SyncKeyDocument {
  /**
   * Model column whose value identifies the row; it must be unique and not null.
   */
  column: string
  /**
   * Destination identifier the key maps to; defaults to the object's identifier when it has only one.
   */
  field?: string
}
export interface ColumnMapping {
  /**
   * Model column to read.
   */
  column: string
  /**
   * Destination field to write. For a column mapping it defaults to the column name.
   */
  field?: string
  /**
   * Type the value is cast to before it is sent, in the destination's wire format (dates become ISO 8601, or CleverTap's `$D_` epoch form).
   */
  type?: 'string' | 'number' | 'boolean' | 'date'
}
export interface ConstantMapping {
  /**
   * A fixed value written to every record.
   */
  constant: string | number | boolean
  /**
   * Destination field to write. For a column mapping it defaults to the column name.
   */
  field: string
  /**
   * Type the value is cast to before it is sent, in the destination's wire format (dates become ISO 8601, or CleverTap's `$D_` epoch form).
   */
  type?: 'string' | 'number' | 'boolean' | 'date'
}
export interface AllColumnsMapping {
  /**
   * Map every model column that no other mapping names (and that is not the key) to a field of the same name, normalised by `case`.
   */
  allColumns: true
  /**
   * How column names become field names: `preserve`, `camel` (`first_name` to `firstName`), `snake` (`firstName` to `first_name`) or `lower`.
   */
  case?: 'preserve' | 'camel' | 'snake' | 'lower'
  /**
   * Columns to leave out.
   */
  except?: string[]
}
/**
 * When the sync runs: a cron expression, a fixed interval, or only on demand. Without a schedule a sync is manual.
 */
export interface ScheduleDocument {
  /**
   * Five-field cron expression (minute hour day-of-month month day-of-week), or six with seconds first; no other number of fields.
   */
  cron?: string
  /**
   * IANA time zone the cron expression is read in.
   */
  timezone?: string
  /**
   * Fixed interval between runs: a number and a unit (`s`, `m`, `h`, `d`), from `1s` to `366d`.
   */
  interval?: string
  /**
   * Run only on demand (`outflow run NAME`).
   */
  manual?: true
}
/**
 * Options of the destination object. Each is valid only for the objects named in its description.
 */
export interface SyncOptionsDocument {
  /**
   * Loops `contact`: mailing lists to subscribe (`true`) or unsubscribe (`false`) each contact to, by list id.
   */
  mailingLists?: {
    [k: string]: boolean
  }
  triggerEvent?: LoopsTriggerEvent
  list?: CourierListOption
}
/**
 * Loops `contact`: also send this Loops event when the sync creates or updates a contact, so Loops workflows start. Each event carries an idempotency key, so a retried run never triggers a workflow twice.
 */
export interface LoopsTriggerEvent {
  /**
   * Loops event name.
   */
  name: string
  /**
   * Which changes send the event.
   *
   * @minItems 1
   */
  on?: ['create' | 'update', ...('create' | 'update')[]]
}
/**
 * Courier `profileWithList`: the list whose subscriptions this sync manages. It is created if it does not exist.
 */
export interface CourierListOption {
  /**
   * List id: dot-separated parts of letters, digits, `-` and `_`.
   */
  id: string
  /**
   * Display name of the list, set when Outflow creates it.
   */
  name?: string
}
/**
 * An alert: a Slack incoming webhook or a webhook of your own, told when a sync run fails or is partial, rejects too many rows or is stopped by its delete limits, and when `outflow verify` finds drift. The URL is a credential reference, never written in the spec.
 */
export interface AlertDocument {
  apiVersion: ApiVersion
  /**
   * The document kind.
   */
  kind: 'Alert'
  metadata: Metadata
  spec: AlertSpecDocument
}
/**
 * A Slack incoming webhook (api.slack.com/messaging/webhooks): a message with `text` and Block Kit `blocks`. `url` is the webhook's URL as a credential reference (`{ secret: NAME }` or `{ env: NAME }`, read from the environment of the process that runs the syncs): the URL is itself a secret.
 */
export interface SlackAlertSpec {
  /**
   * Slack.
   */
  channel: 'slack'
  url: CredentialReference
  on: AlertTriggersDocument
  syncs?: AlertSyncsDocument
  /**
   * Put model values in the alert: the run's reason and error message as recorded (a warehouse quotes the value it could not convert), rejected rows' keys and reasons, drifted records' keys. Off by default: an alert then carries names, statuses, counts, error codes and a reason that quotes no value.
   */
  includeValues?: boolean
}
export interface RejectedTrigger {
  rejected: RejectedThresholdDocument
}
/**
 * Alert when a run rejects more rows than this.
 */
export interface RejectedThresholdDocument {
  /**
   * A count of rows (`10`), or a share of the rows the run handled (`"2%"`). The alert goes out when the run's rejected rows exceed it.
   */
  above: number | string
}
export interface AlertSyncSelector {
  /**
   * Sync names.
   */
  names?: ResourceName[]
  /**
   * Labels a sync must all carry (`metadata.labels`).
   */
  labels?: {
    [k: string]: string
  }
}
/**
 * A webhook of your own: a versioned JSON body. `url` is a credential reference (`{ secret: NAME }` or `{ env: NAME }`, read from the environment of the process that runs the syncs). With `signingSecret` (a credential reference too), each request carries `X-Outflow-Timestamp` and `X-Outflow-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<body>` keyed by the secret.
 */
export interface WebhookAlertSpec {
  /**
   * A webhook.
   */
  channel: 'webhook'
  url: CredentialReference
  signingSecret?: CredentialReference
  on: AlertTriggersDocument
  syncs?: AlertSyncsDocument
  /**
   * Put model values in the alert: the run's reason and error message as recorded (a warehouse quotes the value it could not convert), rejected rows' keys and reasons, drifted records' keys. Off by default: an alert then carries names, statuses, counts, error codes and a reason that quotes no value.
   */
  includeValues?: boolean
}
