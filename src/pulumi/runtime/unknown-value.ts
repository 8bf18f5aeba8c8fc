/**
 * What Pulumi passes, during a preview, for an input that is not known yet (an output of a
 * resource still to be created): `unknownValue` in `@pulumi/pulumi/runtime/rpc.js`.
 */
export const UNKNOWN_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9'

/** Whether `value`, or anything inside it, is not known yet. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN_VALUE) return true
  if (Array.isArray(value)) return value.some(containsUnknown)
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsUnknown)
  return false
}
