import { isRecord } from '../../../src/util/is-record.js'
import { labelOf } from './loops-property-routes.js'
import { LOOPS_PROPERTY_TYPES, type LoopsPropertyType, type LoopsState } from './loops-state.js'

/**
 * Adds mailing lists and custom properties, from the emulator's config or `POST /_emulator/seed`
 * with `{ "mailingLists": [{ "id", "name", "description"?, "isPublic"? }], "customProperties":
 * [{ "name", "type" }] }`. Checks everything first; returns the problems, and applies nothing if any.
 */
export function applyLoopsSeed(state: LoopsState, seed: unknown): string[] {
  if (!isRecord(seed)) return ['expected an object with "mailingLists" and/or "customProperties"']
  const lists = Array.isArray(seed['mailingLists']) ? (seed['mailingLists'] as unknown[]) : []
  const properties = Array.isArray(seed['customProperties']) ? (seed['customProperties'] as unknown[]) : []
  const problems = [...lists.flatMap((list, i) => checkList(list, i)), ...properties.flatMap((p, i) => checkProperty(p, i))]
  if (problems.length > 0) return problems
  for (const list of lists as Record<string, unknown>[]) {
    const id = String(list['id'])
    const description = typeof list['description'] === 'string' ? list['description'] : null
    state.mailingLists.set(id, { id, name: String(list['name']), description, isPublic: list['isPublic'] === true })
  }
  for (const property of properties as Record<string, unknown>[]) {
    const key = String(property['name'])
    const label = typeof property['label'] === 'string' ? property['label'] : labelOf(key)
    state.customProperties.set(key, { key, label, type: property['type'] as LoopsPropertyType })
  }
  return []
}

function checkList(list: unknown, index: number): string[] {
  if (isRecord(list) && typeof list['id'] === 'string' && typeof list['name'] === 'string') return []
  return [`/mailingLists/${index} needs string "id" and "name"`]
}

function checkProperty(property: unknown, index: number): string[] {
  const type = isRecord(property) ? property['type'] : undefined
  if (isRecord(property) && typeof property['name'] === 'string' && (LOOPS_PROPERTY_TYPES as readonly unknown[]).includes(type)) return []
  return [`/customProperties/${index} needs a string "name" and a "type" of ${LOOPS_PROPERTY_TYPES.join(', ')}`]
}
