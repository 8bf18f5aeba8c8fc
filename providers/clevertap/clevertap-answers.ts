import type { ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { isRecord } from '../../src/util/is-record.js'

/** The `status` values of an upload answer (tradeo/clevertap-ruby README; reference section 3.3). */
const UPLOAD_STATUSES: readonly unknown[] = ['success', 'partial', 'fail']

/**
 * The documented success answer of each CleverTap endpoint the connector calls
 * (reference/destinations.md sections 3.2 and 3.3). An upload answer must also account for every
 * record sent (`processed` plus `unprocessed`), which `clevertap-upload-results.ts` checks.
 */
export const CLEVERTAP_ANSWERS = {
  connect: {
    endpoint: 'GET /v1/connect',
    status: [200],
    // The body is [unverified] (section 3.2): a JSON object that does not say `fail`.
    shape: 'a JSON object without "status": "fail"',
    matches: (body) => isRecord(body) && body['status'] !== 'fail',
  },
  upload: {
    endpoint: 'POST /1/upload',
    // Success and partial success are both 200 (recorded from the live API, section 3.3).
    status: [200],
    shape: '{ "status": "success" | "partial" | "fail", "processed": <count>, "unprocessed": [...] }',
    matches: (body) =>
      isRecord(body) &&
      UPLOAD_STATUSES.includes(body['status']) &&
      typeof body['processed'] === 'number' &&
      (body['unprocessed'] === undefined || Array.isArray(body['unprocessed'])),
  },
} as const satisfies Record<string, ExpectedAnswer>
