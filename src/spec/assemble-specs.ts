import type { DestinationDocument, SourceDocument, SyncDocument } from '../model/spec-document-types.generated.js'
import { normalizeDestination, normalizeSource, normalizeSync } from './normalize.js'
import { parseSpecFile, type ParsedDocument } from './parse-yaml.js'
import { compareProblems, type SpecProblem } from './problem.js'
import type { SpecFile } from './read-spec-files.js'
import { SPEC_RULES } from './rules/all-rules.js'
import type { Located, RuleContext } from './rules/rule.js'
import { validateDocumentSchema } from './schema-validator.js'
import type { DestinationSpec, SourceSpec, SpecOrigin, SpecSet, SyncSpec } from '../model/spec-types.js'

/** The outcome of checking a set of spec files: the specs when valid, and every problem found. */
export interface SpecCheckResult {
  /** The normalized specs; undefined when there is any error. */
  value: SpecSet | undefined
  errors: SpecProblem[]
  warnings: SpecProblem[]
  /** How many documents were read, by kind (for summaries). */
  counts: { sources: number; destinations: number; syncs: number }
}

/**
 * Parses, checks against the schemas, normalizes and applies the semantic rules. Pure: the files
 * are read by the caller. Every problem in every file is reported, not just the first.
 */
export function assembleSpecs(files: readonly SpecFile[]): SpecCheckResult {
  const problems: SpecProblem[] = []
  const valid: { document: ParsedDocument; dir: string }[] = []
  for (const file of files) {
    const parsed = parseSpecFile(file.path, file.text)
    problems.push(...parsed.problems)
    for (const document of parsed.documents) {
      const issues = validateDocumentSchema(document.data)
      for (const issue of issues) problems.push(problemAt(document, issue.pointer, issue.at, issue.message, 'schema'))
      if (issues.length === 0) valid.push({ document, dir: file.dir })
    }
  }
  const context = normalizeAll(valid)
  for (const rule of SPEC_RULES) {
    for (const finding of rule.check(context)) {
      problems.push(problemAt(finding.document, finding.pointer, finding.at ?? 'value', finding.message, rule.name, finding.severity))
    }
  }
  problems.sort(compareProblems)
  const errors = problems.filter((p) => p.severity === 'error')
  const unwrap = <T>(list: readonly Located<T>[]) => list.map((l) => l.spec)
  return {
    value:
      errors.length > 0
        ? undefined
        : { sources: unwrap(context.sources), destinations: unwrap(context.destinations), syncs: unwrap(context.syncs) },
    errors,
    warnings: problems.filter((p) => p.severity === 'warning'),
    counts: { sources: context.sources.length, destinations: context.destinations.length, syncs: context.syncs.length },
  }
}

function normalizeAll(valid: readonly { document: ParsedDocument; dir: string }[]): RuleContext {
  const sources: Located<SourceSpec>[] = []
  const destinations: Located<DestinationSpec>[] = []
  const syncDocuments: { document: ParsedDocument; origin: SpecOrigin }[] = []
  for (const { document, dir } of valid) {
    const origin = { file: document.file, line: document.locate('').line }
    const data = document.data as SourceDocument | DestinationDocument | SyncDocument
    if (data.kind === 'Source') sources.push({ document, spec: normalizeSource(data, origin, dir) })
    else if (data.kind === 'Destination') destinations.push({ document, spec: normalizeDestination(data, origin) })
    else syncDocuments.push({ document, origin })
  }
  // Syncs last: their defaults depend on the type of the destination they name.
  const syncs = syncDocuments.map(({ document, origin }): Located<SyncSpec> => {
    const data = document.data as SyncDocument
    const destination = destinations.find((d) => d.spec.name === data.spec.destination)
    return { document, spec: normalizeSync(data, origin, destination?.spec.connection.type) }
  })
  return { sources, destinations, syncs }
}

function problemAt(
  document: ParsedDocument,
  pointer: string,
  at: 'key' | 'value',
  message: string,
  rule: string,
  severity: SpecProblem['severity'] = 'error',
): SpecProblem {
  return { severity, file: document.file, ...document.locate(pointer, at), pointer, message, rule }
}
