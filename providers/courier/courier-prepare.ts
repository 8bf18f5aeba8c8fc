import type { PrepareResult, RequestGate } from '../../src/destinations/destination.js'
import type { HttpResponse } from '../../src/destinations/http.js'
import { OutflowError } from '../../src/errors.js'
import type { CourierListOption } from '../../src/spec/spec-document-types.generated.js'
import { getList, putList, type CourierClientConfig } from './courier-client.js'
import { classifyCourierResponse, readCourierMessage } from './courier-errors.js'

/** What preparing a list sync needs. */
export interface CourierPrepare {
  destination: string
  client: CourierClientConfig
  gate: RequestGate
}

/** Whether the list exists: `GET /lists/{id}` answers 404 for a missing (or deleted) list. */
export async function listExists(prepare: CourierPrepare, listId: string): Promise<boolean> {
  const response = await getList(prepare.client, prepare.gate, listId)
  if (response.status === 200) return true
  if (response.status === 404) return false
  throw prepareError(prepare.destination, 'GET /lists/{list_id}', response)
}

/**
 * Creates the list when it is missing, named as the sync says (its id otherwise). Subscribing would
 * create it too (section 4.4), but named after its id: creating it first gives it its name.
 */
export async function ensureList(prepare: CourierPrepare, list: CourierListOption): Promise<PrepareResult> {
  const name = `list:${list.id}`
  if (await listExists(prepare, list.id)) return { created: [], existing: [name] }
  const response = await putList(prepare.client, prepare.gate, list.id, list.name ?? list.id)
  if (response.status < 200 || response.status >= 300) throw prepareError(prepare.destination, 'PUT /lists/{list_id}', response)
  return { created: [name], existing: [] }
}

/** An error for a failed preparation call, by the error table; retryable where the table says so. */
function prepareError(destination: string, endpoint: string, response: HttpResponse): OutflowError {
  const { errorClass } = classifyCourierResponse(response)
  const reason = readCourierMessage(response.body)
  const message = `destination "${destination}": Courier answered HTTP ${response.status} to ${endpoint}${reason === undefined ? '' : `: ${reason}`}`
  if (errorClass === 'auth')
    return new OutflowError('DESTINATION_AUTH', `destination "${destination}": Courier refused the auth token (${endpoint})`)
  if (errorClass === 'rate_limited') return new OutflowError('DESTINATION_RATE_LIMITED', message, { retryable: true })
  if (errorClass === 'retryable') return new OutflowError('DESTINATION_UNAVAILABLE', message, { retryable: true })
  return new OutflowError('DESTINATION_REQUEST_INVALID', message)
}
