/** Severity of a {@link SpecProblem}: errors make a spec set invalid, warnings do not. */
export type ProblemSeverity = 'error' | 'warning'

/** One thing wrong with a spec, located in its file. Lines and columns are 1-based. */
export interface SpecProblem {
  severity: ProblemSeverity
  /** Path of the YAML file, as given to the loader (relative paths stay relative). */
  file: string
  line: number
  column: number
  /** JSON pointer inside the YAML document (`/spec/behavior`); empty for the whole document. */
  pointer: string
  message: string
  /** Which check found it: `yaml`, `schema`, or a rule name. */
  rule: string
}

/** Formats a problem as `file:line:col  /pointer  message`, the form editors and CI logs link. */
export function formatProblem(problem: SpecProblem): string {
  const prefix = problem.severity === 'warning' ? 'warning: ' : ''
  return `${problem.file}:${problem.line}:${problem.column}  ${problem.pointer || '/'}  ${prefix}${problem.message}`
}

/** Orders problems by file, then position, so output is stable and reads top to bottom. */
export function compareProblems(a: SpecProblem, b: SpecProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1
  return a.line - b.line || a.column - b.column || a.pointer.localeCompare(b.pointer)
}
