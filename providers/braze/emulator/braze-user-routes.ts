import { isRecord } from '../../../src/util/is-record.js'
import { jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import { BRAZE_MESSAGES, brazeError } from './braze-errors.js'
import { exportView } from './braze-export-view.js'
import type { BrazeState, BrazeUser, BrazeUserAlias } from './braze-state.js'

/** Most identifiers per `/users/delete` or `/users/export/ids` request (reference section 2.4). */
export const BRAZE_MAX_IDS_PER_REQUEST = 50

const DELETE_KINDS = ['external_ids', 'user_aliases', 'braze_ids', 'email_addresses', 'phone_numbers'] as const
type DeleteKind = (typeof DELETE_KINDS)[number]

/**
 * `POST /users/delete`: up to 50 identifiers of one kind; `{ "deleted": n }`. An email or phone
 * matching several users deletes nothing unless `prioritization` narrows it to one. The count
 * is of users found and deleted; Braze documents it as the number queued. [unverified] status
 * 201, as for `/users/track`.
 */
export function deleteUsers(request: EmulatorRequest, state: BrazeState): EmulatorResponse {
  const body = isRecord(request.body) ? request.body : {}
  const kinds = DELETE_KINDS.filter((kind) => body[kind] !== undefined)
  const kind = kinds[0]
  if (kind === undefined || kinds.length > 1)
    return brazeError(400, BRAZE_MESSAGES.badRequest, [`exactly one of ${DELETE_KINDS.join(', ')} is required`])
  const values = body[kind]
  if (!Array.isArray(values)) return brazeError(400, BRAZE_MESSAGES.badRequest, [`'${kind}' must be an array`])
  if (values.length > BRAZE_MAX_IDS_PER_REQUEST) return brazeError(400, BRAZE_MESSAGES.maxIdsDelete)
  const users = new Set(values.map((value) => findForDelete(state, kind, value)).filter((user) => user !== undefined))
  for (const user of users) state.remove(user)
  return jsonResponse(201, { deleted: users.size })
}

function findForDelete(state: BrazeState, kind: DeleteKind, value: unknown): BrazeUser | undefined {
  if (kind === 'external_ids') return typeof value === 'string' ? state.byExternalId(value) : undefined
  if (kind === 'braze_ids') return typeof value === 'string' ? state.byBrazeId(value) : undefined
  if (kind === 'user_aliases') return isAlias(value) ? state.byAlias(value) : undefined
  if (!isRecord(value)) return undefined
  const field = kind === 'email_addresses' ? 'email' : 'phone'
  const wanted = value[field]
  const prioritization = Array.isArray(value['prioritization']) ? (value['prioritization'] as unknown[]) : []
  let matches = state.withContact(field, wanted)
  if (prioritization.includes('identified')) matches = matches.filter((user) => user.external_id !== undefined)
  if (prioritization.includes('unidentified')) matches = matches.filter((user) => user.external_id === undefined)
  if (prioritization.includes('most_recently_updated')) matches = matches.sort((a, b) => b.revision - a.revision).slice(0, 1)
  return matches.length === 1 ? matches[0] : undefined
}

/**
 * `POST /users/export/ids`, so tests can read users back: up to 50 `external_ids` or
 * `user_aliases`, or one `braze_id`, `email_address` or `phone`; `fields_to_export` picks fields.
 */
export function exportUsers(request: EmulatorRequest, state: BrazeState): EmulatorResponse {
  const body = isRecord(request.body) ? request.body : {}
  const externalIds = Array.isArray(body['external_ids']) ? (body['external_ids'] as unknown[]) : []
  const aliases = Array.isArray(body['user_aliases']) ? (body['user_aliases'] as unknown[]) : []
  if (externalIds.length > BRAZE_MAX_IDS_PER_REQUEST || aliases.length > BRAZE_MAX_IDS_PER_REQUEST)
    return brazeError(400, BRAZE_MESSAGES.maxIdsExport)
  const found: BrazeUser[] = []
  const invalid: string[] = []
  for (const id of externalIds) {
    const user = typeof id === 'string' ? state.byExternalId(id) : undefined
    if (user === undefined) invalid.push(String(id))
    else found.push(user)
  }
  for (const alias of aliases) if (isAlias(alias)) found.push(...optional(state.byAlias(alias)))
  if (typeof body['braze_id'] === 'string') found.push(...optional(state.byBrazeId(body['braze_id'])))
  if (typeof body['email_address'] === 'string') found.push(...state.withContact('email', body['email_address']))
  if (typeof body['phone'] === 'string') found.push(...state.withContact('phone', body['phone']))
  const fields = Array.isArray(body['fields_to_export']) ? new Set(body['fields_to_export'] as unknown[]) : undefined
  const users = [...new Set(found)].map((user) => pickFields(exportView(user, state), fields))
  return jsonResponse(201, invalid.length > 0 ? { users, invalid_user_ids: invalid, message: 'success' } : { users, message: 'success' })
}

function pickFields(view: Record<string, unknown>, fields: ReadonlySet<unknown> | undefined): Record<string, unknown> {
  if (fields === undefined) return view
  return Object.fromEntries(Object.entries(view).filter(([key]) => fields.has(key)))
}

function isAlias(value: unknown): value is BrazeUserAlias {
  return isRecord(value) && typeof value['alias_name'] === 'string' && typeof value['alias_label'] === 'string'
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value]
}
