import type { DbtManifest, DbtNode } from '../dbt/dbt-manifest.js'
import { findDbtModel } from '../dbt/find-dbt-model.js'
import { pointersOverlap } from './json-pointer.js'
import type { ParsedDocument } from './parse-yaml.js'
import { dbtLocationKey, type DbtProjectLoad, type DbtProjects } from './dbt-projects.js'
import type { SourceSpec } from '../model/spec-types.js'
import type { Located } from './rules/rule.js'

/**
 * What a sync's `model: { dbt: name }` resolved to: the model in its Source's manifest, a
 * problem to report on the sync, nothing to say (the Source has problems of its own, reported
 * there), or that its Source's manifest could not be read (reported on the Source).
 */
export type DbtModelResolution =
  { model: DbtNode; manifest: DbtManifest; source: SourceSpec } | { problem: string } | { silent: true } | { unreadable: true }

/** A Source with a dbt project, and the project as read (undefined: not read, as when specs are assembled without I/O). */
export interface DbtSourceProject {
  source: Located<SourceSpec>
  load: DbtProjectLoad | undefined
}

/** The dbt project of each Source that has one. */
export function dbtSourceProjects(sources: readonly Located<SourceSpec>[], projects: DbtProjects): DbtSourceProject[] {
  return sources.flatMap((source) => {
    const dbt = source.spec.connection.dbt
    return dbt === undefined ? [] : [{ source, load: projects.get(dbtLocationKey(dbt)) }]
  })
}

/**
 * Resolves a dbt model named by a sync through the manifest of the Source it reads. `invalid`
 * holds the pointers left out of each document for schema errors: a Source whose `dbt` had
 * one has no project here, and the sync is not told so.
 */
export function resolveDbtModel(
  reference: string,
  sourceName: string,
  projects: readonly DbtSourceProject[],
  sources: readonly Located<SourceSpec>[],
  invalid: ReadonlyMap<ParsedDocument, readonly string[]>,
): DbtModelResolution {
  const source = sources.find((s) => s.spec.name === sourceName)
  if (source === undefined) return { silent: true }
  const project = projects.find((p) => p.source === source)
  if (project === undefined) {
    if ((invalid.get(source.document) ?? []).some((p) => pointersOverlap(p, '/spec/dbt'))) return { silent: true }
    return {
      problem: `source "${sourceName}" names no dbt project: give it \`dbt: { project: <dbt project directory> }\` (or \`manifest:\`) to read dbt models`,
    }
  }
  if (project.load === undefined)
    return { problem: `the dbt project of source "${sourceName}" was not read (load the specs with loadSpecs)` }
  if ('error' in project.load) return { unreadable: true }
  const { manifest } = project.load.project
  const found = findDbtModel(manifest, reference)
  return 'problem' in found ? found : { model: found.model, manifest, source: source.spec }
}
