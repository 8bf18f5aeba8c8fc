import type { DeliveryRecord, DestinationConnector, RequestGate } from '../src/destinations/destination.js'
import { prepareRequestOf } from '../src/destinations/prepare-request.js'
import { deliverBatch, syncBatch } from '../src/engine/deliver-batch.js'
import { DEFAULT_RETRY_POLICY } from '../src/engine/retry-policy.js'
import { createRecordMapper } from '../src/engine/map-record.js'
import { PAGE_ROWS } from '../src/engine/open-run.js'
import { TaskPool } from '../src/engine/task-pool.js'
import type { SyncSpec } from '../src/model/spec-types.js'
import { modelQuery, planDiff } from '../src/warehouse/diff/diff-plan.js'
import { pickColumns, textField } from '../src/warehouse/row-field.js'
import type { WarehouseAdapter } from '../src/warehouse/warehouse-adapter.js'

/** What the naive sender did. */
export interface NaiveSend {
  records: number
  accepted: number
  /** `deliver` calls, retries included. */
  deliveries: number
}

/**
 * The baseline the runner is compared with: no snapshot, no diff, no state. Every row of the model
 * is read, mapped and delivered each time, through the same connector, request gate, batch size,
 * concurrency and retry policy as the runner, so that the difference is what the diff saves.
 * Nothing is recorded in the warehouse, which is the naive sender's advantage.
 */
export async function sendEverything(
  adapter: WarehouseAdapter,
  sync: SyncSpec,
  connector: DestinationConnector,
  gate: RequestGate,
): Promise<NaiveSend> {
  const object = connector.catalog.objects[sync.object]
  if (object === undefined) throw new Error(`${connector.catalog.displayName} has no object "${sync.object}"`)
  // The same column resolution as the runner's, without the diff that follows it.
  const plan = planDiff(sync, await adapter.describe(modelQuery(sync)), '')
  await connector.prepare(prepareRequestOf(sync, object), gate)
  const map = createRecordMapper(sync, object, plan.columns)
  const limits = connector.limits(sync.object)
  const pool = new TaskPool(limits.concurrency)
  const done: NaiveSend = { records: 0, accepted: 0, deliveries: 0 }
  const deliver = async (records: DeliveryRecord[]) => {
    const batch = syncBatch(sync, records)
    const delivered = await deliverBatch(connector, batch, gate, { policy: DEFAULT_RETRY_POLICY, atMostOnce: false })
    done.deliveries += 1 + delivered.extraCalls
    done.accepted += delivered.results.filter((r) => r.result.status === 'accepted').length
  }
  let batch: DeliveryRecord[] = []
  for await (const page of adapter.stream({ sql: plan.modelSql }, PAGE_ROWS)) {
    for (const row of page) {
      // Every row is sent as a change of a record sent before: the naive sender cannot tell new from old.
      const mapped = map({
        op: 'changed',
        key: textField(row, plan.keyColumn) ?? '',
        hash: null,
        values: pickColumns(row, plan.columns),
      })
      done.records++
      if (!mapped.ok) continue
      batch.push(mapped.record)
      if (batch.length === limits.batchSize) {
        const full = batch
        batch = []
        await pool.submit(() => deliver(full))
      }
    }
  }
  if (batch.length > 0) await pool.submit(() => deliver(batch))
  await pool.drain()
  return done
}
