import alertSchema from '../../schema/alert.v1.schema.json' with { type: 'json' }
import commonSchema from '../../schema/shared/common.v1.schema.json' with { type: 'json' }
import destinationSchema from '../../schema/destination.v1.schema.json' with { type: 'json' }
import outflowSchema from '../../schema/outflow.v1.schema.json' with { type: 'json' }
import sourceSchema from '../../schema/source.v1.schema.json' with { type: 'json' }
import syncSchema from '../../schema/sync.v1.schema.json' with { type: 'json' }

import { isRecord } from '../util/is-record.js'
import { fromPointer } from './json-pointer.js'

/** The document kinds of the v1 spec format. */
export const SPEC_KINDS = ['Source', 'Destination', 'Sync', 'Alert'] as const
export type SpecKind = (typeof SPEC_KINDS)[number]

/** The spec version every document declares in `apiVersion`. */
export const API_VERSION = 'outflow/v1'

/**
 * The base of every schema file's `$id` (`<base><path under schema/>`). `.invalid` never resolves,
 * so nothing is ever fetched from it: editors resolve the files' relative `$ref`s from disk, next to
 * the file they opened, and Ajv from the files added to it.
 */
export const SCHEMA_BASE_URI = 'https://schema.outflow.invalid/'

/** The JSON Schemas, keyed by their path under `schema/`; each file's `$id` is {@link SCHEMA_BASE_URI} and that path. */
export const SPEC_SCHEMA_FILES: Readonly<Record<string, object>> = {
  'shared/common.v1.schema.json': commonSchema,
  'source.v1.schema.json': sourceSchema,
  'destination.v1.schema.json': destinationSchema,
  'sync.v1.schema.json': syncSchema,
  'alert.v1.schema.json': alertSchema,
  'outflow.v1.schema.json': outflowSchema,
}

/** The schema file that checks each kind. */
export const KIND_SCHEMA_FILES: Readonly<Record<SpecKind, string>> = {
  Source: 'source.v1.schema.json',
  Destination: 'destination.v1.schema.json',
  Sync: 'sync.v1.schema.json',
  Alert: 'alert.v1.schema.json',
}

/** The schema a `$ref` written in the schema file at `path` points at, or undefined when there is none. */
export function resolveSchemaRef(path: string, ref: string): unknown {
  const url = new URL(ref, SCHEMA_BASE_URI + path)
  const file = SPEC_SCHEMA_FILES[url.href.slice(SCHEMA_BASE_URI.length).split('#')[0] ?? '']
  return fromPointer(decodeURIComponent(url.hash.slice(1))).reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), file)
}
