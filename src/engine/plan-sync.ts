import type { ObjectDescriptor } from '../destinations/destination-catalog.js'
import type { DestinationConnector, FieldValue } from '../destinations/destination.js'
import { objectDescriptorOf } from '../destinations/connector-support.js'
import { OutflowError } from '../errors.js'
import type { SyncSpec } from '../model/spec-types.js'
import type { ChangeSet } from '../warehouse/diff/compute-diff.js'
import { computePlanDiff } from '../warehouse/diff/compute-plan-diff.js'
import type { Resend } from '../warehouse/diff/resend.js'
import { readStatePresence } from '../warehouse/state/state-presence.js'
import type { WarehouseAdapter, WarehouseReader } from '../warehouse/warehouse-adapter.js'
import { changeSetDeleteRefusal } from './delete-safety.js'
import { countRejected, readRejectedKeys } from '../warehouse/state/rejected-rows.js'
import { ReasonTally, type ReasonCount } from './value-free-reason.js'
import { assemblePage, retryCandidates } from './assemble-page.js'
import { createRecordMapper } from './map-record.js'
import { isSendBaseline } from './open-run.js'
import { resendRefusal } from './resend-refusal.js'

/** A sample of what a plan would send: the operation, the key, and the mapped fields. */
export interface PlanSample {
  op: 'create' | 'update' | 'delete' | 'send'
  key: string
  fields: Readonly<Record<string, FieldValue>>
}

/** The data impact of one sync: what a run would do now, computed in the warehouse, nothing sent. */
export interface SyncPlan {
  sync: string
  destination: string
  object: string
  behavior: string
  /**
   * Records new to the sync (created, or sent for `send`), changed, and removed (mirror). One
   * category per row, counted as a run counts them: a row refused before sending is only in
   * `reject`, a row an earlier run could not deliver only in `retry`.
   */
  create: number
  update: number
  delete: number
  /** Rows an earlier run could not deliver (refused or failed), sent again. */
  retry: number
  /** Rows that would be refused before sending: null or duplicate keys (each row), values that do not fit. */
  reject: number
  /** Every row is sent again: the spec changed what is sent, or a full resync was asked for. */
  fullResync: boolean
  /** With the `resend` of some keys: the keys no row of the model has (nothing would be sent for them). */
  missingKeys?: string[]
  /** A `send` sync's first run without backfill: rows recorded as already sent, none sent. */
  baseline: number
  /** Why the run would stop before deleting (empty model, maxDeletes). */
  blocked: string | undefined
  /** `deliver` batches and HTTP requests, by rate-limit group. */
  batches: number
  requests: Readonly<Record<string, number>>
  /** Time the requests take at the destination's documented rate limits; undefined when none limits them. */
  estimatedSeconds: number | undefined
  samples: PlanSample[]
  /** The first few refusals, with their reasons. */
  rejections: { key: string; reason: string }[]
  /** Every refused row, counted by a reason that quotes no value (what a public comment shows). */
  rejectedByReason: ReasonCount[]
}

/** Options of {@link planSync}. */
export interface PlanSyncOptions {
  /** Sample records to show per operation (they hold model values: keep them out of public comments). */
  samples?: number
  /** Plan what a run with this resend would send (`outflow run --dry-run --full-resync`, `--keys`). */
  resend?: Resend
}

const REJECTION_SAMPLES = 5

/**
 * Computes a sync's data impact without sending or recording anything, in a read-only session of
 * the warehouse: the diff runs into the session's scratch tables (nothing is written, and a
 * running sync is not disturbed), a state store or snapshot that does not exist yet reads as
 * empty, every change row goes through the same mapping and validation as a run, and the request
 * count and duration come from the connector's batch sizes and rate limits.
 */
export async function planSync(
  adapter: WarehouseAdapter,
  schema: string,
  sync: SyncSpec,
  connector: DestinationConnector,
  options: PlanSyncOptions = {},
): Promise<SyncPlan> {
  const object = objectDescriptorOf(connector.catalog, sync.destination, sync.object)
  const { resend } = options
  const refusal = resend === undefined ? undefined : resendRefusal(sync, resend)
  if (refusal !== undefined) throw new OutflowError('OPTION_INVALID', refusal)
  return adapter.readOnlySession(async (session) => {
    const state = await readStatePresence(session, schema)
    const changes = await computePlanDiff(session, state, sync, resend)
    const plan = emptyPlan(sync, changes)
    if (resend?.kind === 'keys') plan.missingKeys = changes.missingKeys
    const reasons = new ReasonTally()
    for await (const rejections of changes.rejections(100)) {
      reasons.add(rejections)
      plan.rejections.push(...rejections.slice(0, REJECTION_SAMPLES - plan.rejections.length))
    }
    plan.rejectedByReason = reasons.counts()
    if (isSendBaseline(sync, changes)) {
      plan.baseline = changes.counts.added
      return plan
    }
    plan.blocked = await changeSetDeleteRefusal(session, sync, changes)
    const hadRejections = state.migrated && (await countRejected(session, schema, sync.name)) > 0
    await tallyChanges(plan, { session, schema, sync, object, changes, hadRejections }, options.samples ?? 3)
    estimateRequests(plan, connector, plan.create + plan.update + plan.delete + plan.retry)
    return plan
  })
}

function emptyPlan(sync: SyncSpec, changes: ChangeSet): SyncPlan {
  return {
    sync: sync.name,
    destination: sync.destination,
    object: sync.object,
    behavior: sync.behavior,
    create: 0,
    update: 0,
    delete: 0,
    retry: 0,
    reject: changes.rejectedRows,
    fullResync: changes.fullResync,
    baseline: 0,
    blocked: undefined,
    batches: 0,
    requests: {},
    estimatedSeconds: undefined,
    samples: [],
    rejections: [],
    rejectedByReason: [],
  }
}

/** What counting a plan's change rows reads. */
interface PlanSource {
  session: WarehouseReader
  schema: string
  sync: SyncSpec
  object: ObjectDescriptor
  changes: ChangeSet
  /** Whether the sync has rejected rows: only then are retried rows looked up. */
  hadRejections: boolean
}

/** Streams the change rows through the run's page assembly, counting each row once and keeping samples. */
async function tallyChanges(plan: SyncPlan, source: PlanSource, sampleCount: number): Promise<void> {
  const { session, schema, sync, changes } = source
  const map = createRecordMapper(sync, source.object, changes.plan.columns)
  const perOp = new Map<PlanSample['op'], number>()
  const reasons = new ReasonTally()
  for (const counted of plan.rejectedByReason) reasons.addCount(counted)
  for await (const rows of changes.rows(2000)) {
    const retried = source.hadRejections ? await readRejectedKeys(session, schema, sync.name, retryCandidates(rows)) : new Set<string>()
    const page = assemblePage(rows, map, retried)
    plan.create += page.counts.added
    plan.update += page.counts.changed
    plan.delete += page.counts.removed
    plan.retry += page.counts.retried
    plan.reject += page.counts.refused
    plan.rejections.push(...page.refused.slice(0, REJECTION_SAMPLES - plan.rejections.length))
    reasons.add(page.refused)
    for (const record of page.records) {
      const op = sampleOp(sync, record.change)
      if ((perOp.get(op) ?? 0) >= sampleCount) continue
      perOp.set(op, (perOp.get(op) ?? 0) + 1)
      plan.samples.push({ op, key: record.key, fields: record.fields })
    }
  }
  plan.rejectedByReason = reasons.counts()
}

function sampleOp(sync: SyncSpec, change: 'added' | 'changed' | 'removed'): PlanSample['op'] {
  if (sync.behavior === 'send') return 'send'
  return change === 'added' ? 'create' : change === 'changed' ? 'update' : 'delete'
}

/**
 * Batches at the object's batch size (deletes at their endpoint's, where it has one); requests
 * per group; the slowest group at its rate limit sets the duration.
 */
function estimateRequests(plan: SyncPlan, connector: DestinationConnector, records: number): void {
  const limits = connector.limits(plan.object)
  const deletes = limits.deletes === undefined ? 0 : plan.delete
  const requests: Record<string, number> = {}
  const add = (count: number, batchSize: number, requestsPerBatch: Readonly<Record<string, number>>) => {
    const batches = Math.ceil(count / batchSize)
    plan.batches += batches
    for (const [group, perBatch] of Object.entries(requestsPerBatch)) {
      // A group of whole-batch requests scales with batches; a per-record group (perBatch = batch size) with records.
      requests[group] = (requests[group] ?? 0) + (perBatch >= batchSize && batchSize > 1 ? count : batches * perBatch)
    }
  }
  add(records - deletes, limits.batchSize, limits.requestsPerBatch)
  if (limits.deletes !== undefined && deletes > 0) add(deletes, limits.deletes.batchSize, limits.deletes.requestsPerBatch)
  let seconds: number | undefined
  for (const [group, count] of Object.entries(requests)) {
    const limit = connector.rateLimits.find((l) => l.group === group)
    if (limit !== undefined) seconds = Math.max(seconds ?? 0, (count * limit.perMs) / limit.requests / 1000)
  }
  plan.requests = requests
  plan.estimatedSeconds = seconds === undefined ? undefined : Math.round(seconds * 10) / 10
}
