import type { DeleteLimit, SyncSpec } from '../model/spec-types.js'
import type { ChangeSet } from '../warehouse/diff/compute-diff.js'
import { subquery } from '../warehouse/subquery.js'
import type { WarehouseReader } from '../warehouse/warehouse-adapter.js'

/** What a mirror sync is about to remove, against what it has written. */
export interface DeletePlan {
  sync: string
  /** Records the run would remove. */
  removals: number
  /** Records the sync has written (its snapshot). */
  written: number
  /** Whether the model returned no rows at all. */
  modelEmpty: boolean
  maxDeletes: DeleteLimit | undefined
}

/**
 * Why a mirror run must not delete, or undefined when it may. An empty model is almost always a
 * broken model (a failed upstream job, a wrong filter), never a reason to empty the destination;
 * `maxDeletes` bounds the damage of any other mistake. The run stops before its first delete.
 */
export function deleteRefusal(plan: DeletePlan): string | undefined {
  if (plan.removals === 0) return undefined
  const subject = `sync "${plan.sync}" would delete ${plan.removals} of the ${plan.written} records it wrote`
  if (plan.modelEmpty) return `${subject}: its model returned no rows, which is taken as a broken model; nothing was deleted`
  const limit = plan.maxDeletes
  if (limit === undefined) return undefined
  const allowed = limit.kind === 'count' ? limit.count : Math.floor((plan.written * limit.percent) / 100)
  if (plan.removals <= allowed) return undefined
  const stated = limit.kind === 'count' ? `${limit.count}` : `${limit.percent}% (${allowed} records)`
  return `${subject}, more than maxDeletes ${stated}; nothing was sent. Check the model, or raise maxDeletes in the spec if this is intended`
}

/**
 * Why a change set's removals must not be sent, or undefined: probes the model for a row only when
 * there is something to remove, so runs without removals pay nothing.
 */
export async function changeSetDeleteRefusal(adapter: WarehouseReader, sync: SyncSpec, changes: ChangeSet): Promise<string | undefined> {
  if (changes.counts.removed === 0) return undefined
  const probe = await adapter.run({ sql: `select 1 as present from ${subquery(changes.plan.modelSql, 'm')} limit 1` })
  return deleteRefusal({
    sync: sync.name,
    removals: changes.counts.removed,
    written: changes.snapshot.rows,
    modelEmpty: probe.rows.length === 0,
    maxDeletes: sync.maxDeletes,
  })
}
