import { jsonArray, objectWith, type ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { isRecord } from '../../src/util/is-record.js'

/**
 * The documented success answer of each Loops endpoint the connector calls (loops.json 200
 * responses; reference/destinations.md sections 1.2 and 1.3). Every one is a 200 with
 * `success: true`, except the two lists, which are arrays.
 */
export const LOOPS_ANSWERS = {
  testApiKey: {
    endpoint: 'GET /v1/api-key',
    status: [200],
    shape: '{ "success": true, "teamName": "..." }',
    matches: (body) => objectWith({ success: true })(body) && isRecord(body) && typeof body['teamName'] === 'string',
  },
  createContact: {
    endpoint: 'POST /v1/contacts/create',
    status: [200],
    shape: '{ "success": true, "id": "..." }',
    matches: (body) => objectWith({ success: true })(body) && isRecord(body) && typeof body['id'] === 'string',
  },
  updateContact: {
    endpoint: 'PUT /v1/contacts/update',
    status: [200],
    shape: '{ "success": true, "id": "..." }',
    matches: (body) => objectWith({ success: true })(body) && isRecord(body) && typeof body['id'] === 'string',
  },
  deleteContact: {
    endpoint: 'POST /v1/contacts/delete',
    status: [200],
    shape: '{ "success": true }',
    matches: objectWith({ success: true }),
  },
  sendEvent: { endpoint: 'POST /v1/events/send', status: [200], shape: '{ "success": true }', matches: objectWith({ success: true }) },
  listCustomProperties: { endpoint: 'GET /v1/contacts/properties', status: [200], shape: 'a JSON array of properties', matches: jsonArray },
  createCustomProperty: {
    endpoint: 'POST /v1/contacts/properties',
    status: [200],
    shape: '{ "success": true }',
    matches: objectWith({ success: true }),
  },
} as const satisfies Record<string, ExpectedAnswer>
