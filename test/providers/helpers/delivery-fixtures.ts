import { createHash } from 'node:crypto'

import type { DeliveryBatch, DeliveryRecord, FieldValue, RequestGate } from '../../../src/destinations/destination.js'

/** The sync name fixtures use. */
export const TEST_SYNC = 'test-sync'

/**
 * A record to upsert, new to the sync, with an idempotency key derived like the engine's: from the
 * sync, the key and the row's values.
 */
export function deliveryRecord(key: string, fields: Record<string, FieldValue>, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  const rowHash = createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 16)
  return { key, op: 'upsert', change: 'added', fields, idempotencyKey: `${TEST_SYNC}:${key}:${rowHash}`, ...overrides }
}

/** A batch of `records` for `object`, upserted by default. */
export function deliveryBatch(object: string, records: readonly DeliveryRecord[], overrides: Partial<DeliveryBatch> = {}): DeliveryBatch {
  return { sync: TEST_SYNC, object, behavior: 'upsert', keyField: undefined, options: {}, records, ...overrides }
}

/** A gate that never waits, for tests against an emulator whose rate limit is off. */
export const OPEN_GATE: RequestGate = { acquire: () => Promise.resolve() }
