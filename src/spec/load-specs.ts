import type { SourceDocument } from '../model/spec-document-types.generated.js'
import { assembleValidatedSpecs, type SpecCheckResult } from './assemble-specs.js'
import { readDbtProjects, resolveDbtLocation } from './dbt-projects.js'
import { readSpecFiles, type ReadSpecFilesOptions } from './read-spec-files.js'
import { validateSpecFile, type ValidatedSpecFile } from './validate-spec-file.js'

/** Options for {@link loadSpecs}. */
export interface LoadSpecsOptions extends ReadSpecFilesOptions {
  /**
   * Whether a Source's dbt manifest that cannot be read makes the specs invalid (`required`), or
   * is a warning and leaves out the syncs naming its models (`optional`): for commands that take
   * only the Sources from the directory, such as `outflow run` of the registered syncs, whose
   * dbt models were resolved when they were registered.
   * @default 'required'
   */
  dbtManifests?: 'required' | 'optional'
}

/**
 * Reads and checks the specs at `path` (a directory, by default `syncs`, or one file), and the
 * dbt manifests their Sources name, so that a sync's `model: { dbt: name }` resolves to its
 * relation. Throws `SPEC_NOT_FOUND` when there is nothing to read; problems in the specs, files
 * refused for their size or kind and dbt projects that cannot be read among them, are returned,
 * not thrown, so that callers can show all of them.
 */
export async function loadSpecs(path = 'syncs', options: LoadSpecsOptions = {}): Promise<SpecCheckResult> {
  const validated = (await readSpecFiles(path, options)).map(validateSpecFile)
  return assembleValidatedSpecs(validated, await readDbtProjects(dbtLocations(validated)), options.dbtManifests !== 'optional')
}

/** Where the dbt projects of the Sources are, as their documents (once past the schema) give them. */
function dbtLocations(files: readonly ValidatedSpecFile[]) {
  return files.flatMap((file) =>
    file.checkable.flatMap(({ document, dir }) => {
      const data = document.data as Partial<SourceDocument>
      return data.kind === 'Source' && data.spec?.dbt !== undefined ? [resolveDbtLocation(data.spec.dbt, dir)] : []
    }),
  )
}
