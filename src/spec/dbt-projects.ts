import { isAbsolute, resolve } from 'node:path'

import { readDbtProject, type DbtProject, type DbtProjectLocation } from '../dbt/read-dbt-project.js'
import type { DbtProjectDocument } from '../model/spec-document-types.generated.js'

/** A Source's dbt project as read when the specs were loaded, or why it could not be read. */
export type DbtProjectLoad = { project: DbtProject } | { error: string }

/** The dbt projects of a spec set's Sources, by {@link dbtLocationKey}. */
export type DbtProjects = ReadonlyMap<string, DbtProjectLoad>

/** The `dbt` of a Source with its paths resolved against the directory of its file. */
export function resolveDbtLocation(dbt: DbtProjectDocument, specDir: string): DbtProjectDocument {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(specDir, path))
  return {
    ...(dbt.project === undefined ? {} : { project: absolute(dbt.project) }),
    ...(dbt.manifest === undefined ? {} : { manifest: absolute(dbt.manifest) }),
  }
}

/** What identifies a dbt project among the Sources: two Sources naming the same files share one read. */
export function dbtLocationKey(location: DbtProjectLocation): string {
  return JSON.stringify([location.project ?? null, location.manifest ?? null])
}

/**
 * Reads the dbt project of each location once. Never throws: a project that cannot be read is
 * kept with the reason, which `outflow validate` reports on its Source.
 */
export async function readDbtProjects(locations: Iterable<DbtProjectLocation>): Promise<DbtProjects> {
  const byKey = new Map<string, DbtProjectLocation>()
  for (const location of locations) byKey.set(dbtLocationKey(location), location)
  const entries = await Promise.all(
    [...byKey].map(async ([key, location]): Promise<[string, DbtProjectLoad]> => {
      try {
        return [key, { project: await readDbtProject(location) }]
      } catch (error) {
        return [key, { error: error instanceof Error ? error.message : String(error) }]
      }
    }),
  )
  return new Map(entries)
}
