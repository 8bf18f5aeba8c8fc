/** A spec file's text, with the path to show users and the directory its relative paths start from. */
export interface SpecFile {
  /** As given, or relative to the given directory's parent: what error messages show. */
  path: string
  /** Absolute directory of the file (relative DuckDB paths resolve from here). */
  dir: string
  text: string
}

/**
 * A spec file that was not read: too large, not a regular file, not UTF-8, or not readable. It is
 * reported as a problem at its first line, and the other files are still checked.
 */
export interface RefusedSpecFile {
  path: string
  /** Why, as the problem's message says it. */
  refused: string
}
