import { emitAlertWarning, type AlertWarning } from '../alerts/alert-warning.js'
import { driftCount, type SyncVerification } from '../engine/verify/sync-verification.js'
import { verifySyncs as verifyRunnables } from '../engine/verify/verify-syncs.js'
import { WarehousePool } from '../engine/warehouse-pool.js'
import { checkNumberOption } from './check-option.js'
import { selectSyncs, type SelectionOptions } from './select-syncs.js'

/** Options of {@link verifySyncs}. */
export interface VerifySyncsOptions extends SelectionOptions {
  /** Verify only these syncs (by name); all of them when undefined or empty. */
  syncs?: readonly string[] | undefined
  /**
   * Read this many synced records per sync, drawn at random (and as many a mirror removed); every
   * one when undefined. A whole number, at least 1.
   */
  sample?: number | undefined
  /**
   * Put the differing values in the findings: they are model values, so keep them out of public
   * output.
   * @default false
   */
  showValues?: boolean | undefined
  /**
   * Where credential references resolve: the warehouse's and the destinations' (reads need them).
   * @default process.env
   */
  credentials?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * Told of each `drift` alert that could not be sent, naming the alert and never its URL.
   * @default a Node process warning (`process.emitWarning`, code `OUTFLOW_ALERT_NOT_SENT`)
   */
  onAlertWarning?: ((warning: AlertWarning) => void) | undefined
}

/** What {@link verifySyncs} resolves to: the same fields as `outflow verify --format json`. */
export interface VerifyReport {
  /** Whether any sync drifted: a record missing, different, or still present after a mirror removed it. */
  drift: boolean
  /** One verification per sync chosen. */
  syncs: SyncVerification[]
}

/**
 * Reads records back from each destination and compares them with what the state store says it
 * accepted, as `outflow verify` does, for the syncs chosen as `runSyncs` chooses them (registered,
 * or with `fromDir` written there; those named in `syncs`). The warehouse is only read. A sync
 * that cannot be verified is an entry with `outcome: 'failed'` and its error; the promise rejects
 * with an `OutflowError` (`SPEC_INVALID`, `SPEC_NOT_FOUND`, `SYNC_NOT_FOUND`, `OPTION_INVALID`, a
 * warehouse's error) only when no sync could be chosen.
 */
export async function verifySyncs(options: VerifySyncsOptions = {}): Promise<VerifyReport> {
  // Read-only: verifying reads the warehouse (and the vendors) and changes nothing.
  const warehouses = new WarehousePool(options.credentials ?? process.env, { readOnly: true })
  try {
    return verifyReportOf(await verifySelected(options, warehouses))
  } finally {
    await warehouses.closeAll()
  }
}

/** Chooses the syncs and verifies them, as `verifySyncs` and `outflow verify` do. */
export async function verifySelected(options: VerifySyncsOptions, warehouses: WarehousePool): Promise<SyncVerification[]> {
  const sample = options.sample === undefined ? undefined : checkNumberOption('sample', options.sample, 1, { min: 1, whole: true })
  const { syncs } = await selectSyncs(options, options.syncs ?? [], warehouses)
  return verifyRunnables(syncs, {
    warehouses,
    sample,
    showValues: options.showValues === true,
    alerts: { onWarning: options.onAlertWarning ?? emitAlertWarning },
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  })
}

/** The report of verifications, as `outflow verify --format json` prints it. */
export function verifyReportOf(results: readonly SyncVerification[]): VerifyReport {
  return { drift: results.some((r) => driftCount(r) > 0), syncs: [...results] }
}
