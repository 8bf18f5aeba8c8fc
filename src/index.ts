export { ERROR_CODES, isOutflowError, OutflowError, type ErrorCode, type OutflowErrorOptions } from './errors.js'
export { assembleSpecs, type SpecCheckResult } from './spec/assemble-specs.js'
export { BEHAVIORS, isBehavior, type Behavior } from './model/behavior.js'
export { loadSpecs } from './spec/load-specs.js'
export { loadValidSpecs } from './spec/load-valid-specs.js'
export { compareProblems, formatProblem, type ProblemSeverity, type SpecProblem } from './spec/problem.js'
export { readSpecFiles, type RefusedSpecFile, type SpecFile } from './spec/read-spec-files.js'
export { API_VERSION, SPEC_KINDS, type SpecKind } from './spec/spec-schemas.js'
export type * from './model/spec-document-types.generated.js'
export type {
  DeleteLimit,
  DestinationSpec,
  Mapping,
  Schedule,
  SourceSpec,
  SpecMeta,
  SpecOrigin,
  SpecSet,
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
