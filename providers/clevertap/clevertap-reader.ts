import { lazyVendorClient } from '../../src/destinations/vendor-client-builder.js'
import { buildClevertapClient } from './clevertap-client.js'
import type { RequestGate } from '../../src/destinations/destination.js'
import { objectWith, type ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { callRead } from '../../src/destinations/read-call.js'
import type { ReaderFactory, ReadOutcome, ReadRecord } from '../../src/destinations/record-reader.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import { isRecord } from '../../src/util/is-record.js'
import { clevertapErrors } from './clevertap-outcome.js'

/** Gate group of `GET /1/profile.json`: CleverTap limits it by concurrency, not by a time window (section 3.5). */
const CLEVERTAP_PROFILE_GROUP = 'profile'

/**
 * Profile reads in flight. CleverTap caps concurrent calls per API; the cap of the profile API is
 * [unverified], and a third-party summary of api-request-limit gives 3 for most APIs
 * (reference/destinations.md section 3.5), so three it is.
 */
const CLEVERTAP_PROFILE_CONCURRENCY = 3

/**
 * `GET /1/profile.json?identity=`: the profile under `record` (section 3.4). [unverified] shape;
 * the emulator answers 404 for an unknown identity.
 */
const PROFILE_ANSWER: ExpectedAnswer = {
  endpoint: 'GET /1/profile.json',
  status: [200],
  shape: '{ "status": "success", "record": { "profileData": {...} } }',
  matches: (body) => objectWith({ status: 'success' })(body) && isRecord(body) && isRecord(body['record']),
}

/**
 * Reads CleverTap profiles back by `identity` through `GET /1/profile.json`, one a request.
 * Events cannot be read back one by one.
 */
export const createClevertapReader: ReaderFactory = (options) => {
  const name = options.name
  const clientOf = lazyVendorClient(options, 'clevertap', buildClevertapClient)
  return {
    objects: {
      profile: { readable: true, mirrorRemoves: 'all' },
      event: {
        readable: false,
        reason: 'CleverTap keeps no single events to read back: GET /1/profile.json gives only a count per event name for each profile',
      },
    },
    rateLimits: [],
    unlimitedGroups: [CLEVERTAP_PROFILE_GROUP],
    objectReader: (target) => ({
      batchSize: 1,
      concurrency: CLEVERTAP_PROFILE_CONCURRENCY,
      // `$D_<epoch seconds>` dates keep whole seconds (section 3.3).
      forms: { datePrecisionMs: 1000, caseInsensitiveFields: [] },
      read: (keys, gate) => readProfiles(name, clientOf(), gate, keys, target.fields),
    }),
  }
}

async function readProfiles(
  destination: string,
  client: VendorClient,
  gate: RequestGate,
  keys: readonly string[],
  fields: readonly string[],
): Promise<ReadOutcome> {
  const records = new Map<string, ReadRecord>()
  for (const key of keys) {
    const answer = await callRead({
      destination,
      errors: clevertapErrors,
      answer: PROFILE_ANSWER,
      absent: [404],
      send: () => sendVendorRequest(client, gate, CLEVERTAP_PROFILE_GROUP, 'GET', `/1/profile.json?identity=${encodeURIComponent(key)}`),
    })
    if (!answer.ok) return answer
    const record = isRecord(answer.response.body) ? answer.response.body['record'] : undefined
    records.set(key, answer.absent || !isRecord(record) ? { found: false } : { found: true, fields: fieldsOf(record, fields) })
  }
  return { ok: true, records }
}

/**
 * The profile's `profileData`. [unverified] whether CleverTap lists standard keys (`Name`,
 * `Email`) there or beside it in lower case, so those beside it fill what `profileData` lacks.
 */
function fieldsOf(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const data = isRecord(record['profileData']) ? record['profileData'] : {}
  const beside: Record<string, unknown> = {}
  for (const field of fields) {
    const value = record[field] ?? record[field.toLowerCase()]
    if (!Object.hasOwn(data, field) && value !== undefined) beside[field] = value
  }
  return { ...beside, ...data }
}
