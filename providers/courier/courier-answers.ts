import { emptyBody, objectWith, type ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { isRecord } from '../../src/util/is-record.js'

/** A 204, or a 202 that says nothing: what Courier's list writes answer (courier.json; reference section 4.4). */
const NO_CONTENT = { status: [202, 204], shape: 'no body', matches: emptyBody } as const

/**
 * The documented success answer of each Courier endpoint the connector calls
 * (reference/openapi/courier.json; reference/destinations.md sections 4.3 and 4.4).
 */
export const COURIER_ANSWERS = {
  listLists: {
    endpoint: 'GET /lists',
    status: [200],
    shape: '{ "paging": {...}, "items": [...] }',
    matches: (body) => isRecord(body) && isRecord(body['paging']) && Array.isArray(body['items']),
  },
  getList: {
    endpoint: 'GET /lists/{list_id}',
    status: [200],
    shape: '{ "id": "...", "name": "..." }',
    matches: (body) => isRecord(body) && typeof body['id'] === 'string',
  },
  putList: { endpoint: 'PUT /lists/{list_id}', ...NO_CONTENT },
  mergeProfile: {
    endpoint: 'POST /profiles/{user_id}',
    status: [200],
    shape: '{ "status": "SUCCESS" }',
    matches: objectWith({ status: 'SUCCESS' }),
  },
  addSubscribers: { endpoint: 'POST /lists/{list_id}/subscriptions', ...NO_CONTENT },
  removeSubscriber: { endpoint: 'DELETE /lists/{list_id}/subscriptions/{user_id}', ...NO_CONTENT },
} as const satisfies Record<string, ExpectedAnswer>
