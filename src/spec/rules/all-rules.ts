import { alertReferences } from './alert-references.js'
import { alertTriggers } from './alert-triggers.js'
import { behaviorSettings } from './behavior-settings.js'
import { dbtColumns } from './dbt-columns.js'
import { dbtModel } from './dbt-model.js'
import { dbtProject } from './dbt-project.js'
import { duckdbStateSchema } from './duckdb-state-schema.js'
import { keyIdentifier } from './key-identifier.js'
import { mappedFields } from './mapped-fields.js'
import { objectAndBehavior } from './object-and-behavior.js'
import { objectOptions } from './object-options.js'
import { postgresConnection } from './postgres-connection.js'
import { referencesResolve } from './references-resolve.js'
import { requiredFields } from './required-fields.js'
import type { SpecRule } from './rule.js'
import { schedule } from './schedule.js'
import { uniqueNames } from './unique-names.js'

/** Every semantic rule, in the order their findings read best. */
export const SPEC_RULES: readonly SpecRule[] = [
  uniqueNames,
  referencesResolve,
  dbtProject,
  dbtModel,
  dbtColumns,
  objectAndBehavior,
  keyIdentifier,
  requiredFields,
  mappedFields,
  objectOptions,
  behaviorSettings,
  schedule,
  postgresConnection,
  duckdbStateSchema,
  alertReferences,
  alertTriggers,
]
