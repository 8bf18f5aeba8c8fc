import { stat } from 'node:fs/promises'
import { join } from 'node:path'

import type { DbtManifest } from '../dbt/dbt-manifest.js'
import { readDbtManifest, readDbtProject } from '../dbt/read-dbt-project.js'
import type { RunnableSync } from '../engine/runnable-sync.js'

/**
 * The current dbt manifest of each Source the syncs read that names a dbt project, by Source
 * name. Throws `DBT_MANIFEST_INVALID` when one cannot be read.
 */
export async function readSourceDbtManifests(runnables: readonly RunnableSync[]): Promise<Map<string, DbtManifest>> {
  const manifests = new Map<string, DbtManifest>()
  for (const { source } of runnables) {
    const dbt = source.connection.dbt
    if (dbt === undefined || manifests.has(source.name)) continue
    manifests.set(source.name, (await readDbtProject(dbt)).manifest)
  }
  return manifests
}

/** A manifest given as dbt's `--state` is: its directory (holding `manifest.json`), or the file itself. */
export async function readStateManifest(path: string): Promise<DbtManifest> {
  const isDirectory = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  )
  return readDbtManifest(isDirectory ? join(path, 'manifest.json') : path)
}
