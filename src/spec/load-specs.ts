import { assembleSpecs, type SpecCheckResult } from './assemble-specs.js'
import { readSpecFiles, type ReadSpecFilesOptions } from './read-spec-files.js'

/**
 * Reads and checks the specs at `path` (a directory, by default `syncs`, or one file).
 * Throws `SPEC_NOT_FOUND` when there is nothing to read; problems in the specs, files refused
 * for their size or kind among them, are returned, not thrown, so that callers can show all of them.
 */
export async function loadSpecs(path = 'syncs', options: ReadSpecFilesOptions = {}): Promise<SpecCheckResult> {
  return assembleSpecs(await readSpecFiles(path, options))
}
