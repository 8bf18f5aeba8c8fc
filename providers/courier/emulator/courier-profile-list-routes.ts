import { emptyResponse, jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import type { ResolvedCourierConfig } from './courier-config.js'
import { pageOf } from './courier-paging.js'
import type { CourierState } from './courier-state.js'

/**
 * `/profiles/{user_id}/lists` (section 4.4): a user's lists under `results` (not `items`),
 * subscribe to several (creating missing lists), or leave every list.
 */
export function courierProfileListRoutes(state: CourierState, config: ResolvedCourierConfig): VendorRoute<string>[] {
  return [
    {
      method: 'GET',
      path: '/profiles/:user_id/lists',
      operation: 'profiles_getListSubscriptions',
      handle: (r) => userLists(r, state, config),
    },
    {
      method: 'POST',
      path: '/profiles/:user_id/lists',
      operation: 'profiles_subscribeToList',
      handle: (r) => subscribeUser(r, state, config),
    },
    {
      method: 'DELETE',
      path: '/profiles/:user_id/lists',
      operation: 'profiles_deleteListSubscription',
      handle: (r) => leaveAll(r, state, config),
    },
  ]
}

function userLists(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const recipientId = request.params['user_id'] ?? ''
  const results = []
  for (const [listId, members] of state.subscriptions) {
    const list = state.activeList(listId)
    const membership = members.get(recipientId)
    if (list === undefined || membership === undefined) continue
    results.push({ id: list.id, name: list.name, created: list.created, updated: list.updated, preferences: membership.preferences })
  }
  const { paging, page } = pageOf(results, request.query.get('cursor'), config.pageSize)
  return jsonResponse(200, { paging, results: page })
}

function subscribeUser(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const recipientId = request.params['user_id'] ?? ''
  const nowIso = new Date(config.clock.epochMs()).toISOString()
  const { lists } = request.body as { lists: { listId: string; preferences?: Record<string, unknown> | null }[] }
  for (const { listId, preferences } of lists) state.subscribe(listId, recipientId, preferences ?? null, nowIso)
  return jsonResponse(200, { status: 'SUCCESS' })
}

/** 200 `{"status":"SUCCESS"}` per courier.json; 204 in Courier's legacy docs. */
function leaveAll(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const recipientId = request.params['user_id'] ?? ''
  for (const members of state.subscriptions.values()) members.delete(recipientId)
  return config.responseStyle === 'legacy' ? emptyResponse(204) : jsonResponse(200, { status: 'SUCCESS' })
}
