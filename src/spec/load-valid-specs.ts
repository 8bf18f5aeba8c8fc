import { OutflowError } from '../errors.js'
import { loadSpecs, type LoadSpecsOptions } from './load-specs.js'
import { formatProblem } from './problem.js'
import type { SpecSet } from '../model/spec-types.js'

/**
 * Loads the specs at `path` and returns them, or throws `SPEC_INVALID` listing every problem as
 * `file:line:col  /pointer  message`: for callers that cannot go on with invalid specs (the
 * runner, the Pulumi program).
 */
export async function loadValidSpecs(path = 'syncs', options: LoadSpecsOptions = {}): Promise<SpecSet> {
  const result = await loadSpecs(path, options)
  if (result.value !== undefined) return result.value
  const count = result.errors.length
  const lines = result.errors.map((problem) => `  ${formatProblem(problem)}`).join('\n')
  throw new OutflowError('SPEC_INVALID', `${path}: ${count} problem${count === 1 ? '' : 's'} in the specs:\n${lines}`)
}
