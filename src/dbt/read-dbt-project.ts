import { constants } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'

import { parse } from 'yaml'

import { OutflowError } from '../errors.js'
import { isRecord } from '../util/is-record.js'
import { assembleDbtManifest, type DbtManifest } from './dbt-manifest.js'

/** Where a Source's dbt project is: absolute paths, as the loader resolves them against the spec's directory. */
export interface DbtProjectLocation {
  /** The directory holding `dbt_project.yml`. */
  project?: string | undefined
  /** The manifest; by default `<project>/<target-path>/manifest.json`. */
  manifest?: string | undefined
}

/** A dbt project as Outflow reads it: its manifest and, when its directory is known, where its models live. */
export interface DbtProject {
  /** The project directory, when the Source gives it. */
  dir: string | undefined
  /** `model-paths` of `dbt_project.yml`, relative to `dir` (`['models']` by default). */
  modelPaths: readonly string[]
  manifest: DbtManifest
}

/** The largest manifest read: far above what large projects write, and below what a JavaScript string holds. */
export const MAX_DBT_MANIFEST_BYTES = 256 * 1024 * 1024

/** The largest `dbt_project.yml` read. */
const MAX_DBT_PROJECT_FILE_BYTES = 1024 * 1024

/**
 * Reads a dbt project's `dbt_project.yml` (when its directory is given) and its `manifest.json`.
 * Throws `DBT_MANIFEST_INVALID` saying which file and why. A file's content is never quoted in
 * a message: specs may name any path, and `outflow validate` output is public.
 * `DBT_TARGET_PATH`, as dbt reads it, overrides the project's `target-path`.
 */
export async function readDbtProject(location: DbtProjectLocation, env: NodeJS.ProcessEnv = process.env): Promise<DbtProject> {
  const settings = location.project === undefined ? undefined : await readProjectSettings(location.project)
  const targetPath = env['DBT_TARGET_PATH'] ?? settings?.targetPath ?? 'target'
  const manifestPath =
    location.manifest ?? (location.project === undefined ? undefined : resolve(location.project, targetPath, 'manifest.json'))
  if (manifestPath === undefined) throw new OutflowError('DBT_MANIFEST_INVALID', 'a dbt project needs `project` or `manifest`')
  return { dir: location.project, modelPaths: settings?.modelPaths ?? ['models'], manifest: await readDbtManifest(manifestPath) }
}

/** Reads and checks one `manifest.json`. */
export async function readDbtManifest(path: string): Promise<DbtManifest> {
  const shown = displayPath(path)
  const text = await readBoundedFile(path, MAX_DBT_MANIFEST_BYTES, 'dbt manifest', 'run `dbt parse` or `dbt build` to write it')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new OutflowError('DBT_MANIFEST_INVALID', `the dbt manifest ${shown} is not valid JSON`, { cause: error })
  }
  try {
    return assembleDbtManifest(json, shown)
  } catch (error) {
    throw new OutflowError('DBT_MANIFEST_INVALID', `${shown}: ${(error as Error).message}`, { cause: error })
  }
}

async function readProjectSettings(dir: string): Promise<{ targetPath: string | undefined; modelPaths: string[] | undefined }> {
  const path = join(dir, 'dbt_project.yml')
  const text = await readBoundedFile(path, MAX_DBT_PROJECT_FILE_BYTES, 'dbt project file', 'is `project` the directory of dbt_project.yml?')
  let settings: unknown
  try {
    settings = parse(text)
  } catch (error) {
    throw new OutflowError('DBT_MANIFEST_INVALID', `the dbt project file ${displayPath(path)} is not valid YAML`, { cause: error })
  }
  const record = isRecord(settings) ? settings : {}
  const targetPath = record['target-path']
  const modelPaths = record['model-paths']
  return {
    targetPath: typeof targetPath === 'string' && !targetPath.includes('{') ? targetPath : undefined,
    modelPaths: Array.isArray(modelPaths) && modelPaths.every((p) => typeof p === 'string') ? modelPaths : undefined,
  }
}

/**
 * A regular file's text, up to `maxBytes`: a FIFO, a device or a directory is refused without
 * being read (O_NONBLOCK: opening a FIFO would otherwise wait for a writer).
 */
async function readBoundedFile(path: string, maxBytes: number, what: string, hint: string): Promise<string> {
  const shown = displayPath(path)
  const refuse = (reason: string, cause?: unknown) =>
    new OutflowError('DBT_MANIFEST_INVALID', `cannot read the ${what} ${shown}: ${reason}`, { cause })
  const info = await stat(path).catch((error: unknown) => {
    throw refuse((error as NodeJS.ErrnoException).code === 'ENOENT' ? `it does not exist (${hint})` : 'not readable', error)
  })
  if (!info.isFile()) throw refuse('not a regular file')
  const handle = await open(path, constants.O_RDONLY | ((constants as Partial<Record<string, number>>)['O_NONBLOCK'] ?? 0)).catch(
    (error: unknown) => {
      throw refuse('not readable', error)
    },
  )
  try {
    // Checked again on the open file: the path may have been replaced since.
    const opened = await handle.stat()
    if (!opened.isFile()) throw refuse('not a regular file')
    if (opened.size > maxBytes) throw refuse(`larger than ${maxBytes / 1024 / 1024} MiB`)
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}

/** A path as messages show it: relative to the working directory when it is inside it. */
export function displayPath(path: string): string {
  const fromHere = relative(process.cwd(), path)
  return fromHere === '' || fromHere.startsWith('..') || isAbsolute(fromHere) ? path : fromHere
}
