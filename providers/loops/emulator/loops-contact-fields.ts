import type { ResolvedLoopsConfig } from './loops-config.js'
import type { LoopsContact, LoopsPropertyType, LoopsPropertyValue, LoopsState } from './loops-state.js'

/** Changes to one contact, checked in full before any is applied. */
export interface ContactPatch {
  standard: Partial<Pick<LoopsContact, 'firstName' | 'lastName' | 'source' | 'userGroup' | 'subscribed'>>
  /** `null` removes the value. */
  properties: Record<string, LoopsPropertyValue | null>
  /** `true` adds the contact to the list, `false` removes it. */
  mailingLists: Record<string, boolean>
}

const STANDARD_STRINGS = new Set(['firstName', 'lastName', 'source', 'userGroup'])

/** Keys the patch never handles: identifiers (resolved separately) and event fields. */
const NOT_CONTACT_FIELDS = new Set(['email', 'userId', 'mailingLists', 'eventName', 'eventProperties'])

/**
 * Reads the contact fields of a create, update or event body into a patch, or the 400 message of
 * the first problem: a value too long, a property of the wrong type, an undeclared property or an
 * unknown mailing list (as configured).
 */
export function planContactPatch(body: Record<string, unknown>, state: LoopsState, config: ResolvedLoopsConfig): ContactPatch | string {
  const patch: ContactPatch = { standard: {}, properties: {}, mailingLists: {} }
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && value.length > config.maxStringLength) {
      return `"${key}" must be at most ${config.maxStringLength} characters.`
    }
    if (NOT_CONTACT_FIELDS.has(key)) continue
    const problem = planField(patch, key, value, state, config)
    if (problem !== undefined) return problem
  }
  return planMailingLists(patch, body['mailingLists'], state, config)
}

function planField(patch: ContactPatch, key: string, value: unknown, state: LoopsState, config: ResolvedLoopsConfig): string | undefined {
  if (STANDARD_STRINGS.has(key) && typeof value === 'string') {
    patch.standard[key as 'firstName'] = value
    return undefined
  }
  if (key === 'subscribed' && typeof value === 'boolean') {
    patch.standard.subscribed = value
    return undefined
  }
  const property = state.customProperties.get(key)
  if (property === undefined) {
    if (config.undeclaredProperties === 'reject') return `Contact property "${key}" does not exist. Create it before sending values.`
    if (config.undeclaredProperties === 'accept') patch.properties[key] = value as LoopsPropertyValue | null
    return undefined
  }
  if (value !== null && !fitsType(value, property.type)) return `Contact property "${key}" must be of type ${property.type}.`
  patch.properties[key] = value as LoopsPropertyValue | null
  return undefined
}

function planMailingLists(patch: ContactPatch, value: unknown, state: LoopsState, config: ResolvedLoopsConfig): ContactPatch | string {
  if (value === undefined) return patch
  for (const [listId, subscribe] of Object.entries(value as Record<string, unknown>)) {
    if (typeof subscribe !== 'boolean') return `Mailing list "${listId}" must be set to true or false.`
    if (!state.mailingLists.has(listId)) {
      if (config.unknownMailingLists === 'reject') return `Mailing list "${listId}" does not exist.`
      continue
    }
    patch.mailingLists[listId] = subscribe
  }
  return patch
}

/**
 * Date values: Loops' accepted formats were not captured (reference section 1.4); ISO 8601
 * strings and Unix timestamps in milliseconds are accepted here.
 */
function fitsType(value: unknown, type: LoopsPropertyType): boolean {
  if (type === 'date') return (typeof value === 'string' && !Number.isNaN(Date.parse(value))) || Number.isFinite(value)
  if (type === 'number') return Number.isFinite(value)
  return typeof value === type
}

/** Applies a checked patch. */
export function applyContactPatch(contact: LoopsContact, patch: ContactPatch): void {
  Object.assign(contact, patch.standard)
  for (const [key, value] of Object.entries(patch.properties)) {
    if (value === null) Reflect.deleteProperty(contact.properties, key)
    else contact.properties[key] = value
  }
  for (const [listId, subscribe] of Object.entries(patch.mailingLists)) {
    if (subscribe) contact.mailingLists[listId] = true
    else Reflect.deleteProperty(contact.mailingLists, listId)
  }
}

/** A plausible email address: something@domain.tld, no spaces. */
export function isValidEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
}
