import { readdir, readFile, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'

import { OutflowError } from '../errors.js'

/** A spec file's text, with the path to show users and the directory its relative paths start from. */
export interface SpecFile {
  /** As given, or relative to the given directory's parent: what error messages show. */
  path: string
  /** Absolute directory of the file (relative DuckDB paths resolve from here). */
  dir: string
  text: string
}

const SPEC_EXTENSIONS = ['.yaml', '.yml']

/**
 * Reads the spec files at `path`: a single file, or every `.yaml`/`.yml` file below a directory
 * (hidden directories and node_modules skipped), in a stable order.
 */
export async function readSpecFiles(path: string): Promise<SpecFile[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw new OutflowError('SPEC_NOT_FOUND', `cannot read specs: ${path} does not exist`, { cause: error })
  })
  const paths = info.isDirectory() ? await findSpecFiles(path) : [path]
  if (paths.length === 0) throw new OutflowError('SPEC_NOT_FOUND', `no spec files (*.yaml, *.yml) in ${path}`)
  return Promise.all(paths.map(async (file) => ({ path: file, dir: dirname(resolve(file)), text: await readFile(file, 'utf8') })))
}

async function findSpecFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && SPEC_EXTENSIONS.some((ext) => e.name.endsWith(ext)))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (file) =>
        !relative(dir, file)
          .split(/[\\/]/)
          .some((part) => part.startsWith('.') || part === 'node_modules'),
    )
    .sort()
}
