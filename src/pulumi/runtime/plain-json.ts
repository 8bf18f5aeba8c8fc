import { canonicalJson } from '../../canonical-json.js'

/**
 * `value` as plain JSON, without `undefined` members: the provider host encodes results as a
 * protobuf Struct, which refuses `undefined`, and Pulumi drops them from inputs anyway, so a spec
 * compares equal to itself after a round trip through state.
 */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** Whether two JSON values are equal, whatever the order of their keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

/**
 * A spec without `origin`: which file and line a spec is written on is no part of what it asks
 * for, so moving it must not count as a change.
 */
export function withoutOrigin(spec: unknown): unknown {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return spec
  return Object.fromEntries(Object.entries(spec).filter(([key]) => key !== 'origin'))
}

/** Whether two specs ask for the same thing (see {@link withoutOrigin}). */
export function sameSpec(a: unknown, b: unknown): boolean {
  return sameJson(withoutOrigin(a), withoutOrigin(b))
}
