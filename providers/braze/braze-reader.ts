import { lazyVendorClient } from '../../src/destinations/vendor-client-builder.js'
import { buildBrazeClient } from './braze-client.js'
import type { RateLimit, RequestGate } from '../../src/destinations/destination.js'
import type { ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { callRead } from '../../src/destinations/read-call.js'
import type { ObjectReader, ReaderFactory, ReadOutcome, ReadRecord, ReadTarget } from '../../src/destinations/record-reader.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import type { VendorErrors } from '../../src/destinations/vendor-outcome.js'
import { isRecord } from '../../src/util/is-record.js'
import { brazeCatalog } from './braze-catalog.js'
import { brazeErrors } from './braze-outcome.js'

/** Gate group of `POST /users/export/ids`, which Braze limits on its own (reference/destinations.md section 2.5). */
const BRAZE_EXPORT_GROUP = 'export'

/**
 * 250 `/users/export/ids` requests a minute for workspaces onboarded since 2024-08-22, 2,500 for
 * older ones (post_users_identifier page; section 2.4): the lower figure holds for both.
 */
const BRAZE_EXPORT_RATE_LIMIT: RateLimit = { group: BRAZE_EXPORT_GROUP, requests: 250, perMs: 60_000 }

/** At most 50 `external_ids` per export request (section 2.4). */
const BRAZE_EXPORT_IDS_PER_REQUEST = 50

/** Exports in flight: at four a second the limit, not the round trip, bounds the pace. */
const BRAZE_EXPORT_CONCURRENCY = 4

/**
 * `/users/export/ids` answers with the users found; ids it does not know are listed in
 * `invalid_user_ids` (section 2.4). [unverified] status: 201 as for `/users/track`, or 200.
 */
const EXPORT_ANSWER: ExpectedAnswer = {
  endpoint: 'POST /users/export/ids',
  status: [200, 201],
  shape: '{ "users": [...], "message": "success" }',
  matches: (body) => isRecord(body) && Array.isArray(body['users']) && body['message'] === 'success',
}

/** Standard profile fields are exported at the top level of a user, custom attributes under `custom_attributes`. */
const STANDARD_FIELDS = new Set(Object.keys(brazeCatalog.objects.user.fields))

/** For an `Access Denied`, names the permission the export needs. */
const exportErrors: VendorErrors = {
  ...brazeErrors,
  authMessage: (destination, code, endpoint, where) =>
    code === 'permission'
      ? `destination "${destination}": the Braze API key lacks the users.export.ids permission (${where}); a key's permissions cannot be changed after it is created, so create one that has it`
      : brazeErrors.authMessage(destination, code, endpoint, where),
}

/**
 * Reads Braze users back by `external_id` through `POST /users/export/ids`, 50 a request. Events
 * cannot be read back: the export sums a user's events up by name.
 */
export const createBrazeReader: ReaderFactory = (options) => {
  const name = options.name
  const clientOf = lazyVendorClient(options, 'braze', buildBrazeClient)
  return {
    objects: {
      user: { readable: true, mirrorRemoves: 'all' },
      event: {
        readable: false,
        reason: 'Braze keeps no single events to read back: /users/export/ids gives only a count per event name for each user',
      },
    },
    rateLimits: [BRAZE_EXPORT_RATE_LIMIT],
    objectReader: (target) => userReader(name, clientOf, target),
  }
}

function userReader(destination: string, client: () => VendorClient, target: ReadTarget): ObjectReader {
  const standard = target.fields.filter((field) => STANDARD_FIELDS.has(field))
  const custom = target.fields.some((field) => !STANDARD_FIELDS.has(field))
  // Workspaces onboarded since 2024-08-22 must name the fields (section 2.4); naming them also keeps answers small.
  const fieldsToExport = ['external_id', ...standard, ...(custom ? ['custom_attributes'] : [])]
  return {
    batchSize: BRAZE_EXPORT_IDS_PER_REQUEST,
    concurrency: BRAZE_EXPORT_CONCURRENCY,
    forms: { datePrecisionMs: 1, caseInsensitiveFields: ['country'] },
    read: (keys, gate) => exportUsers(destination, client(), gate, keys, fieldsToExport),
  }
}

async function exportUsers(
  destination: string,
  client: VendorClient,
  gate: RequestGate,
  keys: readonly string[],
  fieldsToExport: readonly string[],
): Promise<ReadOutcome> {
  const body = { external_ids: keys, fields_to_export: fieldsToExport }
  const answer = await callRead({
    destination,
    errors: exportErrors,
    answer: EXPORT_ANSWER,
    send: () => sendVendorRequest(client, gate, BRAZE_EXPORT_GROUP, 'POST', '/users/export/ids', body),
  })
  if (!answer.ok) return answer
  const found = new Map<string, ReadRecord>()
  const users = isRecord(answer.response.body) ? answer.response.body['users'] : undefined
  for (const user of Array.isArray(users) ? users : []) {
    if (isRecord(user) && typeof user['external_id'] === 'string') found.set(user['external_id'], { found: true, fields: fieldsOf(user) })
  }
  return { ok: true, records: new Map(keys.map((key) => [key, found.get(key) ?? { found: false }])) }
}

/** A user's custom attributes and standard fields, under the names a sync writes them with. */
function fieldsOf(user: Record<string, unknown>): Record<string, unknown> {
  const custom = isRecord(user['custom_attributes']) ? user['custom_attributes'] : {}
  const standard = Object.fromEntries(Object.entries(user).filter(([field]) => STANDARD_FIELDS.has(field)))
  return { ...custom, ...standard }
}
