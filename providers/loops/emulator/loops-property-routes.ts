import { jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { VendorRoute } from '../../../src/emulators/emulator-vendor.js'
import type { ResolvedLoopsConfig } from './loops-config.js'
import { LOOPS_MESSAGES, loopsError } from './loops-errors.js'
import { LOOPS_STANDARD_PROPERTIES, type LoopsPropertyType, type LoopsState } from './loops-state.js'

/** Names Loops reserves for itself (reference section 1.4, from an older docs page). */
const RESERVED_PROPERTY_NAMES = new Set(['id', 'listId', 'softDeleteAt', 'teamId', 'updatedAt'])

/** The team endpoints: API key test, custom properties and mailing lists (reference sections 1.2, 1.3). */
export function loopsTeamRoutes(state: LoopsState, config: ResolvedLoopsConfig): VendorRoute<string>[] {
  return [
    {
      method: 'GET',
      path: '/v1/api-key',
      operation: 'testApiKey',
      handle: () => jsonResponse(200, { success: true, teamName: config.teamName }),
    },
    { method: 'GET', path: '/v1/contacts/properties', operation: 'listContactProperties', handle: (r) => listProperties(r, state) },
    { method: 'POST', path: '/v1/contacts/properties', operation: 'createContactProperty', handle: (r) => createProperty(r, state) },
    { method: 'GET', path: '/v1/lists', operation: 'listMailingLists', handle: () => jsonResponse(200, [...state.mailingLists.values()]) },
  ]
}

/** `?list=custom` lists only custom properties; `all` (the default) adds the standard ones. */
function listProperties(request: EmulatorRequest, state: LoopsState): EmulatorResponse {
  const custom = [...state.customProperties.values()]
  return jsonResponse(200, request.query.get('list') === 'custom' ? custom : [...LOOPS_STANDARD_PROPERTIES, ...custom])
}

/** The body's shape (`name`, `type` in the enum) is checked against loops.json before this runs. */
function createProperty(request: EmulatorRequest, state: LoopsState): EmulatorResponse {
  const { name, type } = request.body as { name: string; type: LoopsPropertyType }
  // [unverified] Loops asks for camelCase names; how it treats others is not documented.
  if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) return loopsError(400, `Property name "${name}" must be camelCase.`)
  if (RESERVED_PROPERTY_NAMES.has(name)) return loopsError(400, `Property name "${name}" is reserved.`)
  if (state.customProperties.has(name) || LOOPS_STANDARD_PROPERTIES.some((p) => p.key === name)) {
    return loopsError(400, LOOPS_MESSAGES.propertyExists)
  }
  state.customProperties.set(name, { key: name, label: labelOf(name), type })
  return jsonResponse(200, { success: true })
}

/** `favoriteColor` becomes `Favorite color`, as loops.json's `ContactProperty` example shows. */
export function labelOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
