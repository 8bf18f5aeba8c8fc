import { readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'

import { OutflowError } from '../errors.js'
import { readSpecFile } from './read-spec-file.js'
import type { RefusedSpecFile, SpecFile } from './spec-file.js'
import { maxFileSizeFromEnv } from './spec-file-size.js'

export type { RefusedSpecFile, SpecFile } from './spec-file.js'

/** Options for {@link readSpecFiles}. */
export interface ReadSpecFilesOptions {
  /**
   * The largest spec file read, in bytes; a larger one is refused unread and reported.
   * @default the `OUTFLOW_MAX_FILE_SIZE` environment variable, else 1 MiB
   */
  maxFileSize?: number
}

const SPEC_EXTENSIONS = ['.yaml', '.yml']

/**
 * Reads the spec files at `path`: a single file, or every `.yaml`/`.yml` file below a directory
 * (hidden directories and node_modules skipped), in a stable order. A file that is too large,
 * not a regular file or not text comes back refused, with the reason, so that every other file
 * is still checked. Throws `SPEC_NOT_FOUND` only when there is nothing to read at all.
 */
export async function readSpecFiles(path: string, options: ReadSpecFilesOptions = {}): Promise<(SpecFile | RefusedSpecFile)[]> {
  const maxBytes = options.maxFileSize ?? maxFileSizeFromEnv()
  const info = await stat(path).catch((error: unknown) => {
    throw new OutflowError('SPEC_NOT_FOUND', `cannot read specs: ${path} does not exist`, { cause: error })
  })
  if (!info.isDirectory()) return [await readSpecFile(path, { maxBytes, followLinks: true })]
  const paths = await findSpecFiles(path)
  if (paths.length === 0) throw new OutflowError('SPEC_NOT_FOUND', `no spec files (*.yaml, *.yml) in ${path}`)
  const files: (SpecFile | RefusedSpecFile)[] = []
  // One at a time: memory holds one file being read, and a huge directory cannot exhaust file handles.
  for (const file of paths) files.push(await readSpecFile(file, { maxBytes, followLinks: false }))
  return files
}

/** Every entry named like a spec that is not a directory: links, FIFOs and devices too, so that they are reported, not skipped unseen. */
async function findSpecFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => !e.isDirectory() && SPEC_EXTENSIONS.some((ext) => e.name.endsWith(ext)))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (file) =>
        !relative(dir, file)
          .split(/[\\/]/)
          .some((part) => part.startsWith('.') || part === 'node_modules'),
    )
    .sort()
}
