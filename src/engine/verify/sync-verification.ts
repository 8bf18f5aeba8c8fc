import type { SyncSpec } from '../../model/spec-types.js'

/** Kinds of drift: a difference between the vendor and what the snapshot says it accepted. */
export const DRIFT_KINDS = ['missing', 'different', 'stillPresent'] as const
export type DriftKind = (typeof DRIFT_KINDS)[number]

/** A field that differs; the values only when they were asked for (`--show-values`). */
export interface FieldDrift {
  field: string
  expected?: unknown
  actual?: unknown
}

/** One record that drifted. Keys and field names are shown; values only on request. */
export type DriftFinding =
  /** The snapshot has the key; the vendor does not (`detail`: what part is gone, a list membership). */
  | { kind: 'missing'; key: string; detail?: string }
  /** The model row is what was accepted, and the vendor holds other values. */
  | { kind: 'different'; key: string; fields: FieldDrift[] }
  /** A mirror removed the key, and the vendor still has it. */
  | { kind: 'stillPresent'; key: string; removedAt: string }

/** What a verification counted. */
export interface VerifyCounts {
  /** Synced keys read back from the vendor. */
  read: number
  /** Read back, present, and (where the model row still has it) with the values sent. */
  inSync: number
  /** Kept by the sync though gone from the model (upsert): checked for presence only. */
  outOfModel: number
  /** Keys whose model row changed since it was sent (or a mirror will remove): the next run sends them; not read. */
  pending: number
  /** Keys a mirror removed, read back. */
  removedRead: number
  missing: number
  different: number
  stillPresent: number
}

/** The verification of one sync. */
export interface SyncVerification {
  sync: string
  destination: string
  object: string
  behavior: string
  /** `checked`: records were read back; `notVerifiable`: the object cannot be read (events); `failed`: see `error`. */
  outcome: 'checked' | 'notVerifiable' | 'failed'
  /** Why the object cannot be read back. */
  reason?: string
  error?: { code: string; message: string }
  /** The sample size asked for, per kind (synced, removed); undefined when every key was read. */
  sample: number | undefined
  /** The spec changed since the last run: every key is pending until the next run sends it again. */
  fullResync: boolean
  counts: VerifyCounts
  /** The first drifted records, at most {@link MAX_FINDINGS}; `counts` has them all. */
  findings: DriftFinding[]
}

/** Drifted records kept per sync: enough to act on, and a bounded report. */
export const MAX_FINDINGS = 100

/** A verification with nothing counted yet. */
export function emptyVerification(sync: SyncSpec, sample: number | undefined): SyncVerification {
  return {
    sync: sync.name,
    destination: sync.destination,
    object: sync.object,
    behavior: sync.behavior,
    outcome: 'checked',
    sample,
    fullResync: false,
    counts: { read: 0, inSync: 0, outOfModel: 0, pending: 0, removedRead: 0, missing: 0, different: 0, stillPresent: 0 },
    findings: [],
  }
}

/** Records a drifted record: counted always, listed while there is room. */
export function addFinding(verification: SyncVerification, finding: DriftFinding): void {
  verification.counts[finding.kind] += 1
  if (verification.findings.length < MAX_FINDINGS) verification.findings.push(finding)
}

/** How many records drifted. */
export function driftCount(verification: SyncVerification): number {
  return DRIFT_KINDS.reduce((sum, kind) => sum + verification.counts[kind], 0)
}
