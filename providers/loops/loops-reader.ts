import { lazyVendorClient } from '../../src/destinations/vendor-client-builder.js'
import { buildLoopsClient } from './loops-client.js'
import type { RequestGate } from '../../src/destinations/destination.js'
import { jsonArray, type ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { callRead } from '../../src/destinations/read-call.js'
import type { ReaderFactory, ReadOutcome, ReadRecord, ReadTarget } from '../../src/destinations/record-reader.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import { isRecord } from '../../src/util/is-record.js'
import { LOOPS_REQUEST_GROUP } from './loops-limits.js'
import { loopsErrors } from './loops-outcome.js'

/**
 * Finds in flight. Every call counts against the team's 10 requests a second (section 1.7), which
 * the connection's gate enforces; ten in flight keep that budget busy at round trips under a second.
 */
const LOOPS_FIND_CONCURRENCY = 10

/** `GET /v1/contacts/find`: 200 with an array of zero or one contact (loops.json `findContact`; section 1.3). */
const FIND_ANSWER: ExpectedAnswer = {
  endpoint: 'GET /v1/contacts/find',
  status: [200],
  shape: 'a JSON array of 0 or 1 contact',
  matches: jsonArray,
}

/**
 * Reads Loops contacts back one at a time through `GET /v1/contacts/find`, by the identifier the
 * sync key maps to (`email` or `userId`). Mirror removes only contacts the sync created.
 */
export const createLoopsReader: ReaderFactory = (options) => {
  const name = options.name
  const clientOf = lazyVendorClient(options, 'loops', buildLoopsClient)
  return {
    objects: { contact: { readable: true, mirrorRemoves: 'created' } },
    // Finds share the team's one limit, which the connector declares.
    rateLimits: [],
    objectReader: (target: ReadTarget) => ({
      batchSize: 1,
      concurrency: LOOPS_FIND_CONCURRENCY,
      forms: { datePrecisionMs: 1, caseInsensitiveFields: [] },
      read: (keys, gate) => findContacts(name, clientOf(), gate, target.keyField === 'userId' ? 'userId' : 'email', keys),
    }),
  }
}

async function findContacts(
  destination: string,
  client: VendorClient,
  gate: RequestGate,
  identifier: 'email' | 'userId',
  keys: readonly string[],
): Promise<ReadOutcome> {
  const records = new Map<string, ReadRecord>()
  for (const key of keys) {
    const path = `/v1/contacts/find?${identifier}=${encodeURIComponent(key)}`
    const answer = await callRead({
      destination,
      errors: loopsErrors,
      answer: FIND_ANSWER,
      send: () => sendVendorRequest(client, gate, LOOPS_REQUEST_GROUP, 'GET', path),
    })
    if (!answer.ok) return answer
    const [contact] = answer.response.body as unknown[]
    records.set(key, isRecord(contact) ? { found: true, fields: contact } : { found: false })
  }
  return { ok: true, records }
}
