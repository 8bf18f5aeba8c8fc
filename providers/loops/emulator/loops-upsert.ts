import type { ResolvedLoopsConfig } from './loops-config.js'
import { applyContactPatch, isValidEmail, planContactPatch } from './loops-contact-fields.js'
import { LOOPS_MESSAGES } from './loops-errors.js'
import { optionalString, resolveContact } from './loops-identify.js'
import type { LoopsContact, LoopsState } from './loops-state.js'

/**
 * Loops' upsert, shared by `PUT /v1/contacts/update` and `POST /v1/events/send` (reference
 * section 1.5): a contact matching either identifier is updated and given the other one (so a
 * userId plus a new email changes the email); none is created, which needs an email. Returns the
 * contact, or the message of a 400, in which case nothing changed.
 */
export function upsertContact(body: Record<string, unknown>, state: LoopsState, config: ResolvedLoopsConfig): LoopsContact | string {
  const email = optionalString(body['email'])
  const userId = optionalString(body['userId'])
  if (email !== undefined && !isValidEmail(email)) return LOOPS_MESSAGES.invalidEmail
  if (email === undefined && userId === undefined) return LOOPS_MESSAGES.missingIdentifier
  const found = resolveContact(state, email, userId)
  if (found === 'conflict') return LOOPS_MESSAGES.multipleContacts
  if (found === undefined && email === undefined) return LOOPS_MESSAGES.contactNotFound
  const patch = planContactPatch(body, state, config)
  if (typeof patch === 'string') return patch
  const contact = found ?? state.createContact(email ?? '', userId ?? null)
  if (email !== undefined) contact.email = email
  if (userId !== undefined) contact.userId = userId
  applyContactPatch(contact, patch)
  return contact
}
