import { objectWith, type ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { isRecord } from '../../src/util/is-record.js'

/**
 * The documented success answer of each Braze endpoint the connector calls
 * (reference/destinations.md sections 2.2 to 2.4): `message: "success"` in Braze's envelope. A
 * `/users/track` success may list refused objects in `errors`, mapped back by index.
 */
export const BRAZE_ANSWERS = {
  listSegments: {
    endpoint: 'GET /segments/list',
    status: [200],
    shape: '{ "message": "success", "segments": [...] }',
    matches: (body) => objectWith({ message: 'success' })(body) && isRecord(body) && Array.isArray(body['segments']),
  },
  track: {
    endpoint: 'POST /users/track',
    // 201: accepted for asynchronous processing (post_user_track_synchronous page, section 2.3).
    status: [201],
    shape: '{ "message": "success", "errors"?: [...] }',
    matches: (body) =>
      objectWith({ message: 'success' })(body) && isRecord(body) && (body['errors'] === undefined || Array.isArray(body['errors'])),
  },
  deleteUsers: {
    endpoint: 'POST /users/delete',
    // The status is not documented; `deleted` counts the users queued (section 2.4).
    status: [200, 201, 202],
    shape: '{ "deleted": <count> }',
    matches: (body) => isRecord(body) && typeof body['deleted'] === 'number',
  },
} as const satisfies Record<string, ExpectedAnswer>
