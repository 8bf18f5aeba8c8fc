import type { DestinationConnector, FieldValue } from '../destinations/destination.js'
import { objectDescriptorOf } from '../destinations/connector-support.js'
import type { SyncSpec } from '../spec/spec-types.js'
import { computeDiff } from '../warehouse/diff/compute-diff.js'
import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { changeSetDeleteRefusal } from './delete-safety.js'
import { createRecordMapper } from './map-record.js'
import { isSendBaseline } from './run-sync.js'

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
  /** Records new to the sync (created, or sent for `send`), changed, and removed (mirror). */
  create: number
  update: number
  delete: number
  /** Rows that would be refused before sending: null or duplicate keys, values that do not fit. */
  reject: number
  /** The spec changed what is sent: every row is sent again. */
  fullResync: boolean
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
}

/** Options of {@link planSync}. */
export interface PlanSyncOptions {
  /** Sample records to show per operation (they hold model values: keep them out of public comments). */
  samples?: number
}

const REJECTION_SAMPLES = 5

/**
 * Computes a sync's data impact without sending or recording anything: the diff runs in the
 * warehouse into the plan's own tables (a running sync is not disturbed), every change row goes
 * through the same mapping and validation as a run, and the request count and duration come from
 * the connector's batch sizes and rate limits.
 */
export async function planSync(
  adapter: WarehouseAdapter,
  schema: string,
  sync: SyncSpec,
  connector: DestinationConnector,
  options: PlanSyncOptions = {},
): Promise<SyncPlan> {
  const object = objectDescriptorOf(connector.catalog, sync.destination, sync.object)
  const changes = await computeDiff(adapter, schema, sync, { forPlan: true })
  const sampleCount = options.samples ?? 3
  const plan: SyncPlan = {
    sync: sync.name,
    destination: sync.destination,
    object: sync.object,
    behavior: sync.behavior,
    create: changes.counts.added,
    update: changes.counts.changed,
    delete: changes.counts.removed,
    reject: changes.rejectedRows,
    fullResync: changes.fullResync,
    baseline: 0,
    blocked: undefined,
    batches: 0,
    requests: {},
    estimatedSeconds: undefined,
    samples: [],
    rejections: [],
  }
  for await (const rejections of changes.rejections(100))
    plan.rejections.push(...rejections.slice(0, REJECTION_SAMPLES - plan.rejections.length))
  if (isSendBaseline(sync, changes)) {
    plan.baseline = plan.create
    plan.create = 0
    return plan
  }
  plan.blocked = await changeSetDeleteRefusal(adapter, sync, changes)
  const map = createRecordMapper(sync, object, changes.plan.columns)
  const perOp = new Map<PlanSample['op'], number>()
  let deliverable = 0
  for await (const rows of changes.rows(2000)) {
    for (const row of rows) {
      const mapped = map(row)
      if (!mapped.ok) {
        plan.reject++
        if (plan.rejections.length < REJECTION_SAMPLES) plan.rejections.push({ key: mapped.key, reason: mapped.reason })
        continue
      }
      deliverable++
      const op = sampleOp(sync, row.op)
      if ((perOp.get(op) ?? 0) < sampleCount) {
        perOp.set(op, (perOp.get(op) ?? 0) + 1)
        plan.samples.push({ op, key: row.key, fields: mapped.record.fields })
      }
    }
  }
  estimateRequests(plan, connector, deliverable)
  return plan
}

function sampleOp(sync: SyncSpec, change: 'added' | 'changed' | 'removed'): PlanSample['op'] {
  if (sync.behavior === 'send') return 'send'
  return change === 'added' ? 'create' : change === 'changed' ? 'update' : 'delete'
}

/** Batches at the object's batch size; requests per group; the slowest group at its rate limit sets the duration. */
function estimateRequests(plan: SyncPlan, connector: DestinationConnector, records: number): void {
  const limits = connector.limits(plan.object)
  plan.batches = Math.ceil(records / limits.batchSize)
  const requests: Record<string, number> = {}
  let seconds: number | undefined
  for (const [group, perBatch] of Object.entries(limits.requestsPerBatch)) {
    // A group of whole-batch requests scales with batches; a per-record group (perBatch = batch size) with records.
    const count = perBatch >= limits.batchSize && limits.batchSize > 1 ? records : plan.batches * perBatch
    requests[group] = count
    const limit = connector.rateLimits.find((l) => l.group === group)
    if (limit !== undefined) seconds = Math.max(seconds ?? 0, (count * limit.perMs) / limit.requests / 1000)
  }
  plan.requests = requests
  plan.estimatedSeconds = seconds === undefined ? undefined : Math.round(seconds * 10) / 10
}
