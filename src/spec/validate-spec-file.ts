import { valueAt } from './json-pointer.js'
import { parseSpecFile, type ParsedDocument } from './parse-yaml.js'
import type { SpecProblem } from './problem.js'
import { repairDocument } from './repair-document.js'
import type { UncheckedDocument } from './rules/rule.js'
import type { SchemaIssue } from './describe-schema-errors.js'
import { validateDocumentSchema } from './schema-validator.js'
import type { RefusedSpecFile, SpecFile } from './spec-file.js'

/**
 * A document the rules can check: it passed the schema, or passed it once the properties in
 * `invalid` were left out (their schema errors are reported; the rules check the rest).
 */
export interface CheckableDocument {
  document: ParsedDocument
  /** Absolute directory of its file. */
  dir: string
  /** Pointers of the properties left out; empty when the document is valid as written. */
  invalid: readonly string[]
}

/** What one file holds: its YAML and schema problems, and its documents sorted by what the rules can do with them. */
export interface ValidatedSpecFile {
  problems: SpecProblem[]
  checkable: CheckableDocument[]
  unchecked: UncheckedDocument[]
}

/**
 * Parses one file and checks each document against the schema of its kind. Never throws: a file
 * that was refused, or that fails in a way nobody foresaw (the parser running out of stack on
 * absurd nesting, say), becomes a problem at its first line, and the other files are still checked.
 */
export function validateSpecFile(file: SpecFile | RefusedSpecFile): ValidatedSpecFile {
  if ('refused' in file) return { problems: [problemAtStart(file.path, file.refused, 'read')], checkable: [], unchecked: [] }
  try {
    return validateDocuments(file)
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)
    return { problems: [problemAtStart(file.path, `could not be checked: ${reason}`, 'internal')], checkable: [], unchecked: [] }
  }
}

function validateDocuments(file: SpecFile): ValidatedSpecFile {
  const parsed = parseSpecFile(file.path, file.text)
  const result: ValidatedSpecFile = { problems: [...parsed.problems], checkable: [], unchecked: [] }
  for (const document of parsed.documents) {
    const issues = validateDocumentSchema(document.data)
    for (const issue of issues) {
      result.problems.push({
        severity: 'error',
        file: document.file,
        ...document.locate(issue.pointer, issue.at),
        pointer: issue.pointer,
        message: issue.message,
        rule: 'schema',
      })
    }
    if (issues.length === 0) {
      result.checkable.push({ document, dir: file.dir, invalid: [] })
      continue
    }
    const repaired = repairDocument(document.data, issues, validateDocumentSchema)
    if (repaired !== undefined) {
      result.checkable.push({ document: { ...document, data: repaired.data }, dir: file.dir, invalid: repaired.invalid })
    } else {
      result.unchecked.push(uncheckedDocument(document, issues))
    }
  }
  return result
}

function uncheckedDocument(document: ParsedDocument, issues: readonly SchemaIssue[]): UncheckedDocument {
  const text = (pointer: string) => {
    const value = valueAt(document.data, pointer)
    return typeof value === 'string' ? value : undefined
  }
  return { document, kind: text('/kind'), name: text('/metadata/name'), invalid: issues.map((i) => i.pointer) }
}

function problemAtStart(file: string, message: string, rule: string): SpecProblem {
  return { severity: 'error', file, line: 1, column: 1, pointer: '', message, rule }
}
