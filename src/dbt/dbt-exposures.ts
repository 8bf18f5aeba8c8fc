import { Document } from 'yaml'

import type { SyncSpec } from '../model/spec-types.js'

/** The file `outflow dbt exposures` writes in a dbt project's first model path, unless told otherwise. */
export const DBT_EXPOSURES_FILE = 'outflow_exposures.yml'

/** The header of the exposures file: it is generated, and says how to write it again. */
const HEADER = ` Written by \`outflow dbt exposures\`: one exposure per Outflow sync that reads a model of this
 project, so that dbt docs and \`dbt ls --select +exposure:outflow_*\` show the syncs downstream.
 Do not edit: change the syncs and run \`outflow dbt exposures\` again.`

/** Owner names and emails, from a sync's labels: the first label present wins. */
const OWNER_NAME_LABELS = ['owner', 'team']
const OWNER_EMAIL_LABELS = ['owner-email', 'owner_email', 'email']

/** Who owns a sync when its labels do not say. */
const DEFAULT_OWNER = 'Outflow'

/**
 * The dbt exposures file (YAML) for the syncs that read dbt models of one project: one exposure
 * of type `application` per sync, named `outflow_<sync>` (dbt names take no hyphen), depending
 * on its model through `ref()`, owned by its `owner` (or `team`) and `owner-email` labels, with
 * the sync's destination in its `meta`. `rootProject` is the project's name: a model of another
 * package is referenced with its package. Sorted by sync name, so the file changes only when the
 * syncs do. Pure.
 */
export function assembleDbtExposures(syncs: readonly SyncSpec[], rootProject: string | undefined): string {
  const exposures = [...syncs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((sync) => ('dbt' in sync.model ? [exposureOf(sync, sync.model.dbt, sync.model.package, rootProject)] : []))
  const document = new Document({ version: 2, exposures })
  document.commentBefore = HEADER
  return document.toString({ lineWidth: 0 })
}

/** The name dbt knows a sync's exposure by. */
export function dbtExposureName(sync: string): string {
  return `outflow_${sync.replaceAll('-', '_')}`
}

function exposureOf(sync: SyncSpec, reference: string, packageName: string, rootProject: string | undefined) {
  const model = reference.split('.').at(-1) ?? reference
  const ref = packageName === rootProject || packageName === '' ? `ref('${model}')` : `ref('${packageName}', '${model}')`
  const target = `${sync.destination} ${sync.object} (${sync.behavior})`
  const description = [sync.description, `Outflow sync to ${target}.`].filter((part) => part !== undefined).join('\n\n')
  return {
    name: dbtExposureName(sync.name),
    label: sync.name,
    type: 'application',
    description,
    owner: ownerOf(sync),
    depends_on: [ref],
    config: {
      tags: ['outflow'],
      meta: {
        outflow: { sync: sync.name, destination: sync.destination, object: sync.object, behavior: sync.behavior },
      },
    },
  }
}

function ownerOf(sync: SyncSpec): { name?: string; email?: string } {
  const label = (names: readonly string[]) => names.map((name) => sync.labels[name]).find((value) => value !== undefined)
  const name = label(OWNER_NAME_LABELS)
  const email = label(OWNER_EMAIL_LABELS)
  return {
    ...(name === undefined && email === undefined ? { name: DEFAULT_OWNER } : {}),
    ...(name === undefined ? {} : { name }),
    ...(email === undefined ? {} : { email }),
  }
}
