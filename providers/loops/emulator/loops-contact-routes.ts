import { jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import type { ResolvedLoopsConfig } from './loops-config.js'
import { applyContactPatch, isValidEmail, planContactPatch } from './loops-contact-fields.js'
import { LOOPS_MESSAGES, loopsError } from './loops-errors.js'
import { optionalString, singleIdentifier } from './loops-identify.js'
import { upsertContact } from './loops-upsert.js'
import { contactView, type LoopsState } from './loops-state.js'

/** The contact endpoints: create, update (upsert), find and delete (reference section 1.3). */
export function loopsContactRoutes(state: LoopsState, config: ResolvedLoopsConfig): VendorRoute<string>[] {
  return [
    { method: 'POST', path: '/v1/contacts/create', operation: 'createContact', handle: (r) => createContact(r, state, config) },
    { method: 'PUT', path: '/v1/contacts/update', operation: 'updateContact', handle: (r) => updateContact(r, state, config) },
    { method: 'GET', path: '/v1/contacts/find', operation: 'findContact', handle: (r) => findContact(r, state) },
    { method: 'POST', path: '/v1/contacts/delete', operation: 'deleteContact', handle: (r) => deleteContact(r, state) },
  ]
}

function createContact(request: EmulatorRequest, state: LoopsState, config: ResolvedLoopsConfig): EmulatorResponse {
  const body = request.body as Record<string, unknown>
  const email = String(body['email'])
  const userId = optionalString(body['userId'])
  if (!isValidEmail(email)) return loopsError(400, LOOPS_MESSAGES.invalidEmail)
  if (state.byEmail(email) !== undefined || (userId !== undefined && state.byUserId(userId) !== undefined)) {
    return loopsError(409, LOOPS_MESSAGES.alreadyOnList)
  }
  const patch = planContactPatch(body, state, config)
  if (typeof patch === 'string') return loopsError(400, patch)
  const contact = state.createContact(email, userId ?? null)
  applyContactPatch(contact, patch)
  return jsonResponse(200, { success: true, id: contact.id })
}

/** Upsert by either identifier (see {@link upsertContact}). */
function updateContact(request: EmulatorRequest, state: LoopsState, config: ResolvedLoopsConfig): EmulatorResponse {
  const contact = upsertContact(request.body as Record<string, unknown>, state, config)
  return typeof contact === 'string' ? loopsError(400, contact) : jsonResponse(200, { success: true, id: contact.id })
}

/** Always an array: empty, or the one contact (section 1.3). */
function findContact(request: EmulatorRequest, state: LoopsState): EmulatorResponse {
  const identifier = singleIdentifier(request.query.get('email') ?? undefined, request.query.get('userId') ?? undefined)
  if ('problem' in identifier) return loopsError(400, identifier.problem)
  if ('email' in identifier && !isValidEmail(identifier.email)) return loopsError(400, LOOPS_MESSAGES.invalidEmail)
  const contact = 'email' in identifier ? state.byEmail(identifier.email) : state.byUserId(identifier.userId)
  return jsonResponse(200, contact === undefined ? [] : [contactView(contact)])
}

function deleteContact(request: EmulatorRequest, state: LoopsState): EmulatorResponse {
  const body = request.body as Record<string, unknown>
  const identifier = singleIdentifier(body['email'], body['userId'])
  if ('problem' in identifier) return loopsError(400, identifier.problem)
  const contact = 'email' in identifier ? state.byEmail(identifier.email) : state.byUserId(identifier.userId)
  if (contact === undefined) return loopsError(404, LOOPS_MESSAGES.contactNotFound)
  state.contacts.delete(contact.id)
  return jsonResponse(200, { success: true, message: LOOPS_MESSAGES.contactDeleted })
}
