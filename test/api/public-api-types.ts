/*
 * Type-level checks of the programmatic API, as a user's TypeScript sees it: every name comes from
 * the package entry (`outflow`, the built declarations), none from src/. Nothing here runs: the
 * type check (`npm run typecheck`) compiles it, and fails when an exported type cannot be used the
 * way the README says.
 */
import {
  isOutflowError,
  planSyncs,
  runSyncs,
  verifySyncs,
  type DriftFinding,
  type ErrorCode,
  type PlannedSync,
  type PlanReport,
  type PlanSyncsOptions,
  type Registration,
  type RunSyncsOptions,
  type RunSyncsReport,
  type SelectionOptions,
  type SyncPlan,
  type SyncProgress,
  type SyncRunResult,
  type SyncRunStatus,
  type SyncVerification,
  type VerifyReport,
  type VerifySyncsOptions,
} from 'outflow'
import { expectTypeOf } from 'vitest'

/** One place that says where the syncs are, shared by the three calls. */
const where: SelectionOptions = { dir: 'syncs' }

export async function orchestratorStep(names: string[], signal: AbortSignal): Promise<number> {
  const progress: SyncProgress[] = []
  const options: RunSyncsOptions = {
    ...where,
    syncs: names,
    credentials: { LOOPS_API_KEY: 'key' },
    signal,
    onProgress: (p) => progress.push(p),
    maxConsecutiveFailures: 50,
    leaseTtlMs: 30_000,
    due: true,
    warehouseWaitMs: 10_000,
  }
  const report: RunSyncsReport = await runSyncs(options)
  expectTypeOf(await runSyncs()).toEqualTypeOf<RunSyncsReport>()
  expectTypeOf(report.results).toEqualTypeOf<SyncRunResult[]>()
  expectTypeOf(report.skipped).toEqualTypeOf<string | undefined>()
  const statuses: SyncRunStatus[] = report.results.map((r) => r.status)
  const codes: (ErrorCode | 'UNKNOWN')[] = report.results.flatMap((r) => (r.error === undefined ? [] : [r.error.code]))
  expectTypeOf(report.results[0]?.counts.synced).toEqualTypeOf<number | undefined>()

  const planOptions: PlanSyncsOptions = { ...where, syncs: names, samples: 3 }
  const plan: PlanReport = await planSyncs(planOptions)
  const first: PlannedSync | undefined = plan.syncs[0]
  if (first !== undefined && !('error' in first)) {
    expectTypeOf(first).toExtend<SyncPlan>()
    expectTypeOf(first.registration).toEqualTypeOf<Registration>()
    expectTypeOf(first.create).toEqualTypeOf<number>()
  }
  expectTypeOf(plan.removed).toEqualTypeOf<{ sync: string; destination: string }[]>()

  const verifyOptions: VerifySyncsOptions = { fromDir: 'syncs', sample: 100, showValues: false }
  const verify: VerifyReport = await verifySyncs(verifyOptions)
  const findings: DriftFinding[] = verify.syncs.flatMap((s: SyncVerification) => s.findings)
  const missing = findings.filter((f) => f.kind === 'missing').map((f) => f.key)

  // @ts-expect-error: `syncs` names syncs; a single name is not accepted
  await runSyncs({ syncs: 'braze-users' })
  // @ts-expect-error: numbers are milliseconds, not strings
  await runSyncs({ leaseTtlMs: '60' })
  // @ts-expect-error: the sample size of a plan is `samples`
  await planSyncs({ sample: 3 })

  return statuses.length + codes.length + missing.length
}

export function codeOf(error: unknown): ErrorCode | undefined {
  if (!isOutflowError(error)) return undefined
  switch (error.code) {
    case 'SPEC_INVALID':
    case 'SPEC_NOT_FOUND':
    case 'SYNC_NOT_FOUND':
    case 'OPTION_INVALID':
      return error.code
    default:
      return undefined
  }
}
