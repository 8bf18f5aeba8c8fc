import { lazyVendorClient } from '../../src/destinations/vendor-client-builder.js'
import { buildCourierClient } from './courier-client.js'
import type { RequestGate } from '../../src/destinations/destination.js'
import type { ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { callRead, type ReadAnswer } from '../../src/destinations/read-call.js'
import type { ObjectReader, ReaderFactory, ReadOutcome, ReadRecord, ReadTarget } from '../../src/destinations/record-reader.js'
import { sendVendorRequest, type VendorClient } from '../../src/destinations/vendor-client.js'
import { vendorPath } from '../../src/destinations/vendor-path.js'
import { isRecord } from '../../src/util/is-record.js'
import { COURIER_DEFAULT_GROUP } from './courier-limits.js'
import { courierErrors } from './courier-outcome.js'

/** Reads in flight. Courier limits neither profile nor list reads (section 4.5); ten is a polite ceiling, not a documented one. */
const COURIER_READ_CONCURRENCY = 10

/** `GET /profiles/{user_id}`: 200 `{ profile, preferences }`; 404 for an unknown user (section 4.3). */
const PROFILE_ANSWER: ExpectedAnswer = {
  endpoint: 'GET /profiles/{user_id}',
  status: [200],
  shape: '{ "profile": {...}, "preferences": ... }',
  matches: (body) => isRecord(body) && isRecord(body['profile']),
}

/** `GET /profiles/{user_id}/lists`: the user's lists under `results` (not `items`), paged (section 4.4). */
const USER_LISTS_ANSWER: ExpectedAnswer = {
  endpoint: 'GET /profiles/{user_id}/lists',
  status: [200],
  shape: '{ "paging": { "cursor", "more" }, "results": [...] }',
  matches: (body) => isRecord(body) && Array.isArray(body['results']),
}

/** Who reads, with what, through which gate. */
interface CourierRead {
  destination: string
  client: VendorClient
  gate: RequestGate
}

/**
 * Reads Courier profiles back through `GET /profiles/{user_id}`, one a request; for a list sync,
 * also whether each user is still subscribed to the list (`GET /profiles/{user_id}/lists`), which
 * is all that mirror removes.
 */
export const createCourierReader: ReaderFactory = (options) => {
  const name = options.name
  const clientOf = lazyVendorClient(options, 'courier', buildCourierClient)
  return {
    objects: { profile: { readable: true, mirrorRemoves: 'all' }, profileWithList: { readable: true, mirrorRemoves: 'all' } },
    rateLimits: [],
    objectReader: (target) => profileReader((gate) => ({ destination: name, client: clientOf(), gate }), target),
  }
}

function profileReader(context: (gate: RequestGate) => CourierRead, target: ReadTarget): ObjectReader {
  const listId = target.object === 'profileWithList' ? target.options.list?.id : undefined
  const reader: ObjectReader = {
    batchSize: 1,
    concurrency: COURIER_READ_CONCURRENCY,
    forms: { datePrecisionMs: 1, caseInsensitiveFields: [] },
    read: (keys, gate) => eachKey(keys, (key) => readProfile(context(gate), key, listId)),
  }
  if (listId === undefined) return reader
  return { ...reader, readRemoved: (keys, gate) => eachKey(keys, (key) => readMembership(context(gate), key, listId)) }
}

async function eachKey(keys: readonly string[], read: (key: string) => Promise<ReadRecord | ReadOutcome>): Promise<ReadOutcome> {
  const records = new Map<string, ReadRecord>()
  for (const key of keys) {
    const record = await read(key)
    if ('ok' in record) return record
    records.set(key, record)
  }
  return { ok: true, records }
}

/** The profile, and with a list, its membership: a profile off the list is missing from the sync's point of view. */
async function readProfile(read: CourierRead, key: string, listId: string | undefined): Promise<ReadRecord | ReadOutcome> {
  const answer = await callRead({
    destination: read.destination,
    errors: courierErrors,
    answer: PROFILE_ANSWER,
    absent: [404],
    send: () =>
      sendVendorRequest(read.client, read.gate, COURIER_DEFAULT_GROUP, 'GET', vendorPath('/profiles/{user_id}', { user_id: key })),
  })
  if (!answer.ok) return answer
  if (answer.absent) return { found: false, detail: 'no profile' }
  const profile = (answer.response.body as { profile: Record<string, unknown> }).profile
  if (listId === undefined) return { found: true, fields: profile }
  const member = await readMembership(read, key, listId)
  return 'ok' in member || !member.found ? member : { found: true, fields: profile }
}

/** Whether the user is on the list, following the pages of the user's lists until it shows up. */
async function readMembership(read: CourierRead, key: string, listId: string): Promise<ReadRecord | ReadOutcome> {
  let cursor: string | undefined
  do {
    const path = vendorPath('/profiles/{user_id}/lists', { user_id: key }, { cursor })
    const answer: ReadAnswer = await callRead({
      destination: read.destination,
      errors: courierErrors,
      answer: USER_LISTS_ANSWER,
      absent: [404],
      send: () => sendVendorRequest(read.client, read.gate, COURIER_DEFAULT_GROUP, 'GET', path),
    })
    if (!answer.ok) return answer
    if (answer.absent) break
    const body = answer.response.body as { results: unknown[]; paging?: unknown }
    if (body.results.some((list) => isRecord(list) && list['id'] === listId)) return { found: true, fields: {} }
    cursor = nextCursor(body.paging)
  } while (cursor !== undefined)
  return { found: false, detail: `not subscribed to list ${listId}` }
}

function nextCursor(paging: unknown): string | undefined {
  return isRecord(paging) && paging['more'] === true && typeof paging['cursor'] === 'string' ? paging['cursor'] : undefined
}
