import type { SyncSpec } from '../../model/spec-types.js'
import type { ReadOnlySession } from '../read-only-session.js'
import { readSnapshotInfo, type SnapshotInfo } from '../state/snapshot.js'
import type { StatePresence } from '../state/state-presence.js'
import { syncTableNames, syncTables } from '../state/state-tables.js'
import { diffModel, type TabledChangeSet } from './compute-diff.js'
import { emptySnapshotSql } from './diff-sql.js'
import { keepResendKeys, type Resend } from './resend.js'

/** The snapshot of a sync that never ran. */
const NO_SNAPSHOT: SnapshotInfo = { specHash: undefined, rows: 0 }

/**
 * A plan's diff: the runner's computation, reading only. The change set goes to scratch tables
 * of the session, so nothing is written to the warehouse and a runner streaming its own change
 * set right now is not disturbed. A sync without a snapshot (never run, or no state store yet)
 * compares against an empty one: every row is new. Rows a crashed run accepted are not merged
 * (only the lease holder merges), so the counts may include rows that run already delivered.
 * With `resend`, as the run would send it (its keys in a scratch table too).
 */
export async function computePlanDiff(
  session: ReadOnlySession,
  state: StatePresence,
  sync: SyncSpec,
  resend?: Resend,
): Promise<TabledChangeSet> {
  const ran = state.hasSnapshot(sync.name)
  const snapshot = ran ? await readSnapshotInfo(session, state.schema, sync.name) : NO_SNAPSHOT
  const names = syncTableNames(sync.name)
  const keep = (table: 'delta' | 'changes' | 'keys', select: string) => session.createScratchTable(`outflow_${names[table]}`, select)
  const keys = resend?.kind === 'keys' ? await keepResendKeys(session, (select) => keep('keys', select), resend.keys) : undefined
  return diffModel(
    session,
    sync,
    snapshot,
    { snapshot: ran ? syncTables(session.dialect, state.schema, sync.name).snapshot : emptySnapshotSql(session.dialect), keep },
    resend === undefined ? undefined : { keys },
  )
}
