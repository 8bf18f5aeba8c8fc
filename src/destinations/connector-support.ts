/*
 * What every connector does alike at its edges: guard its connection and objects, and turn a
 * failed credentials check into a result.
 */
import { isOutflowError, OutflowError } from '../errors.js'
import type { DestinationSpecDocument } from '../model/spec-document-types.generated.js'
import { listOf } from '../util/suggest.js'
import type { DestinationCatalog, DestinationType, ObjectDescriptor } from './destination-catalog.js'
import type { CheckResult, ConnectorOptions, RequestGate } from './destination.js'

/** The connection of `options`, checked to be of `type`: a registry mix-up is a bug, reported as such. */
export function connectionOfType<T extends DestinationType>(
  options: ConnectorOptions,
  type: T,
): Extract<DestinationSpecDocument, { type: T }> {
  const connection = options.connection
  if (connection.type !== type) {
    throw new OutflowError('INTERNAL', `destination "${options.name}" is of type ${connection.type}, not ${type}`)
  }
  return connection as Extract<DestinationSpecDocument, { type: T }>
}

/** `object` as one of the catalog's objects, or `DESTINATION_REQUEST_INVALID` naming the ones it has. */
export function objectOf<C extends DestinationCatalog>(catalog: C, destination: string, object: string): keyof C['objects'] & string {
  if (Object.hasOwn(catalog.objects, object)) return object
  const known = Object.keys(catalog.objects)
  throw new OutflowError(
    'DESTINATION_REQUEST_INVALID',
    `destination "${destination}": ${catalog.displayName} has no object "${object}"; use ${listOf(known)}`,
  )
}

/** The gate for calls made outside a run (a "Test connection" button, a preview): it lets every request through. */
export const OPEN_GATE: RequestGate = { acquire: () => Promise.resolve() }

/**
 * Turns a failure to make a check call into its result: a missing credential is the user's to
 * fix (reported as DESTINATION_AUTH), no response is DESTINATION_UNAVAILABLE. Anything else is a
 * bug and is rethrown.
 */
/** What the catalog declares of `object`, or an error naming the objects it has. */
export function objectDescriptorOf(catalog: DestinationCatalog, destination: string, object: string): ObjectDescriptor {
  const descriptor = catalog.objects[objectOf(catalog, destination, object)]
  if (descriptor === undefined) throw new OutflowError('INTERNAL', `destination "${destination}": no descriptor for "${object}"`)
  return descriptor
}

export function checkCallFailure(error: unknown, destination: string): CheckResult {
  if (!isOutflowError(error) || (error.code !== 'DESTINATION_UNAVAILABLE' && error.code !== 'CREDENTIAL_MISSING')) throw error
  if (error.code === 'CREDENTIAL_MISSING') return { ok: false, code: 'DESTINATION_AUTH', message: error.message }
  return { ok: false, code: 'DESTINATION_UNAVAILABLE', message: `destination "${destination}": ${error.message}` }
}
