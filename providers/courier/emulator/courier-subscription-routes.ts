import { emptyResponse, jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import type { ResolvedCourierConfig } from './courier-config.js'
import { courierError } from './courier-errors.js'
import { pageOf } from './courier-paging.js'
import type { CourierState } from './courier-state.js'

type Recipients = { recipients: { recipientId: string; preferences?: Record<string, unknown> | null }[] }

/**
 * `/lists/{list_id}/subscriptions` (section 4.4): members under `items`; POST adds members, PUT
 * overwrites the membership; per-member PUT and DELETE. Writes create a missing list.
 */
export function courierSubscriptionRoutes(state: CourierState, config: ResolvedCourierConfig): VendorRoute<string>[] {
  const base = '/lists/:list_id/subscriptions'
  return [
    { method: 'GET', path: base, operation: 'lists_getSubscribers', handle: (r) => members(r, state, config) },
    { method: 'POST', path: base, operation: 'lists_addSubscribers', handle: (r) => writeMembers(r, state, config, 'add') },
    { method: 'PUT', path: base, operation: 'lists_updateSubscribers', handle: (r) => writeMembers(r, state, config, 'overwrite') },
    { method: 'PUT', path: `${base}/:user_id`, operation: 'lists_subscribe', handle: (r) => subscribeOne(r, state, config) },
    { method: 'DELETE', path: `${base}/:user_id`, operation: 'lists_unsubscribe', handle: (r) => unsubscribeOne(r, state) },
  ]
}

function members(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const listId = request.params['list_id'] ?? ''
  if (state.activeList(listId) === undefined) return courierError(404, `List ${listId} not found`)
  const items = [...(state.subscriptions.get(listId)?.values() ?? [])]
  const { paging, page } = pageOf(items, request.query.get('cursor'), config.pageSize)
  return jsonResponse(200, { paging, items: page })
}

function writeMembers(
  request: EmulatorRequest,
  state: CourierState,
  config: ResolvedCourierConfig,
  mode: 'add' | 'overwrite',
): EmulatorResponse {
  const listId = request.params['list_id'] ?? ''
  const nowIso = new Date(config.clock.epochMs()).toISOString()
  const current = state.membersForWrite(listId, nowIso)
  if (mode === 'overwrite') current.clear()
  for (const { recipientId, preferences } of (request.body as Recipients).recipients)
    state.subscribe(listId, recipientId, preferences ?? null, nowIso)
  return emptyResponse(config.subscriptionWriteStatus)
}

function subscribeOne(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const preferences = (request.body as { preferences?: Record<string, unknown> | null } | undefined)?.preferences ?? null
  state.subscribe(
    request.params['list_id'] ?? '',
    request.params['user_id'] ?? '',
    preferences,
    new Date(config.clock.epochMs()).toISOString(),
  )
  return emptyResponse(204)
}

/** 404 when the user is not a member (section 4.4). */
function unsubscribeOne(request: EmulatorRequest, state: CourierState): EmulatorResponse {
  const listId = request.params['list_id'] ?? ''
  const recipientId = request.params['user_id'] ?? ''
  const listMembers = state.activeList(listId) === undefined ? undefined : state.subscriptions.get(listId)
  if (listMembers?.delete(recipientId) !== true) return courierError(404, `${recipientId} is not subscribed to list ${listId}`)
  return emptyResponse(204)
}
