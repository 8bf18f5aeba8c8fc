import { isOutflowError, OutflowError } from '../../errors.js'
import type { SyncSpec } from '../../model/spec-types.js'
import type { ColumnInfo, WarehouseReader } from '../warehouse-adapter.js'
import { modelQuery } from './diff-plan.js'

/**
 * The columns of a sync's model, from the warehouse, which first makes sure that the model is
 * exactly one statement (see `WarehouseReader.describe`): nothing else runs a model before this.
 * A refused model names the sync and where its spec is written.
 */
export async function describeModel(reader: WarehouseReader, sync: SyncSpec): Promise<ColumnInfo[]> {
  try {
    return await reader.describe(modelQuery(sync))
  } catch (error) {
    if (!isOutflowError(error) || error.code !== 'MODEL_INVALID') throw error
    throw new OutflowError('MODEL_INVALID', `${syncLabel(sync)}: model refused: ${error.message}`, { cause: error })
  }
}

/** `sync "name" (file:line)`; a sync registered without its origin is named only. */
function syncLabel(sync: SyncSpec): string {
  // A spec registered by `pulumi up` is stored without where it was written.
  const { origin } = sync as Partial<Pick<SyncSpec, 'origin'>>
  return origin === undefined ? `sync "${sync.name}"` : `sync "${sync.name}" (${origin.file}:${origin.line})`
}
