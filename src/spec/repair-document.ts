import type { SchemaIssue } from './describe-schema-errors.js'
import { fromPointer, isWithin, toPointer } from './json-pointer.js'

/** A schema-invalid document with its invalid properties left out, so that the rules can check the rest. */
export interface RepairedDocument {
  /** The document without the properties that had schema errors; it passes the schema. */
  data: unknown
  /** Pointers of the properties left out. */
  invalid: string[]
}

/*
 * Each round leaves out at least one more property or gives up, so a few rounds suffice for any
 * real document; the bound only guarantees an end.
 */
const MAX_ROUNDS = 16

/**
 * Leaves out the properties with schema errors, one level up each time that is not enough (a
 * wrong item of a list takes the whole list), until the document passes `validate`. Undefined
 * when that would take a top-level part (`kind`, `metadata`, `spec`) or a required property:
 * such a document has nothing sound left to check. Pure: `data` is not changed.
 */
export function repairDocument(
  data: unknown,
  issues: readonly SchemaIssue[],
  validate: (data: unknown) => readonly SchemaIssue[],
): RepairedDocument | undefined {
  const repaired: unknown = structuredClone(data)
  const invalid: string[] = []
  let remaining = issues
  for (let round = 0; round < MAX_ROUNDS && remaining.length > 0; round++) {
    const removedNow: string[] = []
    for (const issue of remaining) {
      // Issues inside what this round already left out need nothing more.
      if (removedNow.some((removed) => isWithin(issue.pointer, removed))) continue
      const target = removableAt(repaired, issue.pointer)
      if (target === undefined) return undefined
      removeAt(repaired, target)
      removedNow.push(target)
    }
    invalid.push(...removedNow)
    remaining = validate(repaired)
  }
  return remaining.length === 0 ? { data: repaired, invalid } : undefined
}

/**
 * The deepest property at or above `pointer` that exists in a mapping below the top level. A
 * property that is missing (a required one, or one left out earlier) moves the search up.
 */
function removableAt(data: unknown, pointer: string): string | undefined {
  const segments = fromPointer(pointer)
  for (let depth = segments.length; depth >= 2; depth--) {
    const parent = containerAt(data, segments.slice(0, depth - 1))
    const key = segments[depth - 1] ?? ''
    if (parent !== undefined && !Array.isArray(parent) && Object.hasOwn(parent, key)) return toPointer(segments.slice(0, depth))
  }
  return undefined
}

function containerAt(data: unknown, segments: readonly string[]): Record<string, unknown> | unknown[] | undefined {
  let node: unknown = data
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown> | unknown[]) : undefined
}

function removeAt(data: unknown, pointer: string): void {
  const segments = fromPointer(pointer)
  const parent = containerAt(data, segments.slice(0, -1))
  const key = segments.at(-1)
  if (parent !== undefined && !Array.isArray(parent) && key !== undefined) Reflect.deleteProperty(parent, key)
}
