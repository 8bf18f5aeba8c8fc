export { ERROR_CODES, isOutflowError, OutflowError, type ErrorCode, type OutflowErrorOptions } from './errors.js'
export { assembleSpecs, type SpecCheckResult } from './spec/assemble-specs.js'
export { BEHAVIORS, isBehavior, type Behavior } from './model/behavior.js'
export { loadSpecs, type LoadSpecsOptions } from './spec/load-specs.js'
export { loadValidSpecs } from './spec/load-valid-specs.js'
export { compareProblems, formatProblem, type ProblemSeverity, type SpecProblem } from './spec/problem.js'
export { readSpecFiles, type RefusedSpecFile, type SpecFile } from './spec/read-spec-files.js'
export { API_VERSION, SPEC_KINDS, type SpecKind } from './spec/spec-schemas.js'
export type * from './model/spec-document-types.generated.js'
export type {
  AlertSpec,
  DbtModelRef,
  DeleteLimit,
  DestinationSpec,
  Mapping,
  Schedule,
  SourceSpec,
  SpecMeta,
  SpecOrigin,
  SpecSet,
  SyncModel,
  SyncOptions,
  SyncSpec,
} from './model/spec-types.js'
export {
  FIELD_TYPES,
  type DestinationCatalog,
  type DestinationType,
  type FieldDescriptor,
  type FieldType,
  type ObjectDescriptor,
  type RequiredFields,
} from './destinations/destination-catalog.js'
export { DESTINATION_CATALOGS, findObjectDescriptor } from '../providers/registry.js'
export { runSyncs, type RunSyncsOptions, type RunSyncsReport } from './api/run-syncs.js'
export {
  planSyncs,
  type PlannedDbtModel,
  type PlannedSync,
  type PlanReport,
  type PlanSyncsOptions,
  type Registration,
} from './api/plan-syncs.js'
export { verifySyncs, type VerifyReport, type VerifySyncsOptions } from './api/verify-syncs.js'
export type { SelectionOptions } from './api/select-syncs.js'
export {
  ALERT_CHANNELS,
  ALERT_TRIGGERS,
  type AlertChannel,
  type AlertTrigger,
  type RejectedThreshold,
  type SyncAlert,
} from './model/alert.js'
export type { AlertWarning } from './alerts/alert-warning.js'
export { DEFAULT_SIGNATURE_TOLERANCE_SECONDS, signAlert, verifyAlertSignature, type AlertSignatureCheck } from './alerts/alert-signature.js'
export type { SyncProgress } from './engine/run-sync.js'
export type { SyncRunCounts, SyncRunResult, SyncRunStatus } from './engine/sync-run-result.js'
export type { PlanSample, SyncPlan } from './engine/plan-sync.js'
export type { ReasonCount } from './engine/value-free-reason.js'
export type { DriftFinding, DriftKind, FieldDrift, SyncVerification, VerifyCounts } from './engine/verify/sync-verification.js'
