import { emptyResponse, jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import type { ResolvedCourierConfig } from './courier-config.js'
import { courierError } from './courier-errors.js'
import { matchesListPattern } from './courier-list-pattern.js'
import { pageOf } from './courier-paging.js'
import type { CourierList, CourierState } from './courier-state.js'

/** `/lists` and `/lists/{list_id}` (section 4.4): list, get, create or replace, delete and restore. */
export function courierListRoutes(state: CourierState, config: ResolvedCourierConfig): VendorRoute<string>[] {
  return [
    { method: 'GET', path: '/lists', operation: 'lists_list', handle: (r) => allLists(r, state, config) },
    { method: 'GET', path: '/lists/:list_id', operation: 'lists_get', handle: (r) => getList(r, state) },
    { method: 'PUT', path: '/lists/:list_id', operation: 'lists_update', handle: (r) => putList(r, state, config) },
    { method: 'DELETE', path: '/lists/:list_id', operation: 'lists_delete', handle: (r) => deleteList(r, state) },
    // Not in courier.json's subset; documented in the reference (section 4.4).
    { method: 'PUT', path: '/lists/:list_id/restore', operation: 'lists_restore', handle: (r) => restoreList(r, state) },
  ]
}

function allLists(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const pattern = request.query.get('pattern')
  const lists = [...state.lists.values()].filter(
    (list) => !list.deleted && (pattern === null || pattern === '' || matchesListPattern(pattern, list.id)),
  )
  const { paging, page } = pageOf(lists.map(listView), request.query.get('cursor'), config.pageSize)
  return jsonResponse(200, { paging, items: page })
}

function getList(request: EmulatorRequest, state: CourierState): EmulatorResponse {
  const list = state.activeList(request.params['list_id'] ?? '')
  return list === undefined ? courierError(404, `List ${request.params['list_id'] ?? ''} not found`) : jsonResponse(200, listView(list))
}

function putList(request: EmulatorRequest, state: CourierState, config: ResolvedCourierConfig): EmulatorResponse {
  const { name, preferences } = request.body as { name: string; preferences?: Record<string, unknown> | null }
  state.putList(request.params['list_id'] ?? '', name, preferences ?? null, new Date(config.clock.epochMs()).toISOString())
  return emptyResponse(204)
}

/** A deleted list disappears from reads but keeps its members until restored. */
function deleteList(request: EmulatorRequest, state: CourierState): EmulatorResponse {
  const list = state.lists.get(request.params['list_id'] ?? '')
  if (list !== undefined) list.deleted = true
  return emptyResponse(204)
}

function restoreList(request: EmulatorRequest, state: CourierState): EmulatorResponse {
  const list = state.lists.get(request.params['list_id'] ?? '')
  if (list === undefined) return courierError(404, `List ${request.params['list_id'] ?? ''} not found`)
  list.deleted = false
  return emptyResponse(204)
}

function listView(list: CourierList): Record<string, unknown> {
  return { id: list.id, name: list.name, created: list.created, updated: list.updated }
}
