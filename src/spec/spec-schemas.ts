import commonSchema from '../../schema/shared/common.v1.schema.json' with { type: 'json' }
import destinationSchema from '../../schema/destination.v1.schema.json' with { type: 'json' }
import outflowSchema from '../../schema/outflow.v1.schema.json' with { type: 'json' }
import sourceSchema from '../../schema/source.v1.schema.json' with { type: 'json' }
import syncSchema from '../../schema/sync.v1.schema.json' with { type: 'json' }

/** The document kinds of the v1 spec format. */
export const SPEC_KINDS = ['Source', 'Destination', 'Sync'] as const
export type SpecKind = (typeof SPEC_KINDS)[number]

/** The spec version every document declares in `apiVersion`. */
export const API_VERSION = 'outflow/v1'

/**
 * The JSON Schemas, keyed by their path under `schema/`. The files carry no `$id` (so editors
 * resolve their relative `$ref`s from disk); the validator gives them one.
 */
export const SPEC_SCHEMA_FILES: Readonly<Record<string, object>> = {
  'shared/common.v1.schema.json': commonSchema,
  'source.v1.schema.json': sourceSchema,
  'destination.v1.schema.json': destinationSchema,
  'sync.v1.schema.json': syncSchema,
  'outflow.v1.schema.json': outflowSchema,
}

/** The schema file that checks each kind. */
export const KIND_SCHEMA_FILES: Readonly<Record<SpecKind, string>> = {
  Source: 'source.v1.schema.json',
  Destination: 'destination.v1.schema.json',
  Sync: 'sync.v1.schema.json',
}
