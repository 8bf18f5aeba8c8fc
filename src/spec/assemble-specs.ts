import type { AlertDocument, DestinationDocument, SourceDocument, SyncDocument } from '../model/spec-document-types.generated.js'
import { applyRules } from './apply-rules.js'
import type { DbtProjects } from './dbt-projects.js'
import { normalizeDestination, normalizeSource, normalizeSync } from './normalize.js'
import { normalizeAlert, withAlerts } from './normalize-alert.js'
import type { ParsedDocument } from './parse-yaml.js'
import { compareProblems, type SpecProblem } from './problem.js'
import type { Located, RuleContext, UncheckedDocument } from './rules/rule.js'
import { dbtSourceProjects, resolveDbtModel, type DbtModelResolution } from './resolve-dbt-models.js'
import type { RefusedSpecFile, SpecFile } from './spec-file.js'
import { validateSpecFile, type CheckableDocument, type ValidatedSpecFile } from './validate-spec-file.js'
import type { AlertSpec, DestinationSpec, SourceSpec, SpecOrigin, SpecSet, SyncSpec } from '../model/spec-types.js'

/** The outcome of checking a set of spec files: the specs when valid, and every problem found. */
export interface SpecCheckResult {
  /** The normalized specs; undefined when there is any error. */
  value: SpecSet | undefined
  errors: SpecProblem[]
  warnings: SpecProblem[]
  /** How many documents passed the schema, by kind (for summaries). */
  counts: { sources: number; destinations: number; syncs: number; alerts: number }
}

/**
 * Parses, checks against the schemas, normalizes and applies the semantic rules. Pure: the files
 * are read by the caller, and so are the dbt projects of the Sources (`dbtProjects`, see
 * `loadSpecs`); without them a sync naming a dbt model is a problem. Every problem in every file
 * is reported, not just the first: a file that could not be read is one problem among the others,
 * and a document with schema errors is still checked by the rules wherever the errors leave it sound.
 */
export function assembleSpecs(files: readonly (SpecFile | RefusedSpecFile)[], dbtProjects: DbtProjects = new Map()): SpecCheckResult {
  return assembleValidatedSpecs(files.map(validateSpecFile), dbtProjects)
}

/**
 * {@link assembleSpecs} for files already parsed and checked against the schemas (`validateSpecFile`).
 * With `dbtManifestsRequired` false, a Source's dbt manifest that cannot be read is a warning, and
 * the syncs naming its models are left out of the specs.
 */
export function assembleValidatedSpecs(
  files: readonly ValidatedSpecFile[],
  dbtProjects: DbtProjects,
  dbtManifestsRequired = true,
): SpecCheckResult {
  const problems: SpecProblem[] = []
  const checkable: CheckableDocument[] = []
  const unchecked: UncheckedDocument[] = []
  for (const validated of files) {
    problems.push(...validated.problems)
    checkable.push(...validated.checkable)
    unchecked.push(...validated.unchecked)
  }
  const invalid = new Map(checkable.filter((c) => c.invalid.length > 0).map((c) => [c.document, c.invalid] as const))
  const context = { ...normalizeAll(checkable, unchecked, dbtProjects, invalid), dbtManifestsRequired }
  problems.push(...applyRules(context, invalid))
  problems.sort(compareProblems)
  const errors = problems.filter((p) => p.severity === 'error')
  const unwrap = <T>(list: readonly Located<T>[]) => list.map((l) => l.spec)
  return {
    value:
      errors.length > 0
        ? undefined
        : {
            sources: unwrap(context.sources),
            destinations: unwrap(context.destinations),
            syncs: unwrap(context.syncs.filter(({ document }) => !isUnreadable(context.dbtModels.get(document)))),
            alerts: unwrap(context.alerts),
          },
    errors,
    warnings: problems.filter((p) => p.severity === 'warning'),
    counts: countValid(checkable),
  }
}

function normalizeAll(
  checkable: readonly CheckableDocument[],
  unchecked: readonly UncheckedDocument[],
  projects: DbtProjects,
  invalid: ReadonlyMap<ParsedDocument, readonly string[]>,
): Omit<RuleContext, 'dbtManifestsRequired'> {
  const sources: Located<SourceSpec>[] = []
  const destinations: Located<DestinationSpec>[] = []
  const alerts: Located<AlertSpec>[] = []
  const syncDocuments: { document: ParsedDocument; origin: SpecOrigin }[] = []
  for (const { document, dir } of checkable) {
    const origin = { file: document.file, line: document.locate('').line }
    const data = document.data as SourceDocument | DestinationDocument | SyncDocument | AlertDocument
    if (data.kind === 'Source') sources.push({ document, spec: normalizeSource(data, origin, dir) })
    else if (data.kind === 'Destination') destinations.push({ document, spec: normalizeDestination(data, origin) })
    else if (data.kind === 'Alert') alerts.push({ document, spec: normalizeAlert(data, origin) })
    else syncDocuments.push({ document, origin })
  }
  // Syncs last: their defaults depend on the type of the destination they name, a dbt model on the
  // Source's manifest, and the alerts they carry on the Alert documents.
  const dbtProjects = dbtSourceProjects(sources, projects)
  const dbtModels = new Map<ParsedDocument, DbtModelResolution>()
  const alertSpecs = alerts.map((a) => a.spec)
  const syncs = syncDocuments.map(({ document, origin }): Located<SyncSpec> => {
    const data = document.data as SyncDocument
    const destination = destinations.find((d) => d.spec.name === data.spec.destination)
    const model = data.spec.model
    const resolved = 'dbt' in model ? resolveDbtModel(model.dbt, data.spec.source, dbtProjects, sources, invalid) : undefined
    if (resolved !== undefined) dbtModels.set(document, resolved)
    const dbtModel = resolved !== undefined && 'model' in resolved ? resolved.model : undefined
    const spec = normalizeSync(data, origin, destination?.spec.connection.type, dbtModel)
    return { document, spec: withAlerts(spec, data.spec.alerts ?? [], alertSpecs) }
  })
  return { sources, destinations, syncs, alerts, unchecked, dbtProjects, dbtModels }
}

function countValid(checkable: readonly CheckableDocument[]): SpecCheckResult['counts'] {
  const kinds = checkable.filter((c) => c.invalid.length === 0).map((c) => (c.document.data as { kind: string }).kind)
  const count = (kind: string) => kinds.filter((k) => k === kind).length
  return { sources: count('Source'), destinations: count('Destination'), syncs: count('Sync'), alerts: count('Alert') }
}

function isUnreadable(resolution: DbtModelResolution | undefined): boolean {
  return resolution !== undefined && 'unreadable' in resolution
}
