import type { PrepareResult, RequestGate } from '../../src/destinations/destination.js'
import { isExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { prepareFailure } from '../../src/destinations/prepare-failure.js'
import type { CourierListOption } from '../../src/model/spec-document-types.generated.js'
import { getList, putList, type CourierClientConfig } from './courier-client.js'
import { COURIER_ANSWERS } from './courier-answers.js'
import { courierErrors } from './courier-outcome.js'

/** What preparing a list sync needs. */
export interface CourierPrepare {
  destination: string
  client: CourierClientConfig
  gate: RequestGate
}

/** Whether the list exists: `GET /lists/{id}` answers 404 for a missing (or deleted) list. */
export async function listExists(prepare: CourierPrepare, listId: string): Promise<boolean> {
  const response = await getList(prepare.client, prepare.gate, listId)
  if (isExpectedAnswer(COURIER_ANSWERS.getList, response)) return true
  if (response.status === 404) return false
  throw prepareFailure(courierErrors, prepare.destination, COURIER_ANSWERS.getList, response)
}

/**
 * Creates the list when it is missing, named as the sync says (its id otherwise). Subscribing would
 * create it too (section 4.4), but named after its id: creating it first gives it its name.
 */
export async function ensureList(prepare: CourierPrepare, list: CourierListOption): Promise<PrepareResult> {
  const name = `list:${list.id}`
  if (await listExists(prepare, list.id)) return { created: [], existing: [name] }
  const response = await putList(prepare.client, prepare.gate, list.id, list.name ?? list.id)
  if (!isExpectedAnswer(COURIER_ANSWERS.putList, response))
    throw prepareFailure(courierErrors, prepare.destination, COURIER_ANSWERS.putList, response)
  return { created: [name], existing: [] }
}
