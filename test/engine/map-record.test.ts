import { describe, expect, it } from 'vitest'

import { castValue } from '../../src/engine/cast-value.js'
import { createRecordMapper, recordIdempotencyKey, renameColumn } from '../../src/engine/map-record.js'
import { deleteRefusal } from '../../src/engine/delete-safety.js'
import { isDue, nextRunAfter } from '../../src/engine/schedule-timing.js'
import { findObjectDescriptor } from '../../providers/registry.js'
import { normalizeSync } from '../../src/spec/normalize.js'
import type { SyncDocument } from '../../src/model/spec-document-types.generated.js'

/* Mapping and casting are pure: no warehouse, no HTTP. */

describe('castValue', () => {
  it('casts to numbers, exactly or not at all', () => {
    expect(castValue('12.50', 'number')).toEqual({ ok: true, value: 12.5 })
    expect(castValue(true, 'number')).toEqual({ ok: true, value: 1 })
    expect(castValue('12abc', 'number')).toEqual({ ok: false, reason: '"12abc" is not a number' })
    expect(castValue('', 'number').ok).toBe(false)
  })

  it('casts to booleans from the words warehouses use', () => {
    expect(castValue('Yes', 'boolean')).toEqual({ ok: true, value: true })
    expect(castValue(0, 'boolean')).toEqual({ ok: true, value: false })
    expect(castValue('maybe', 'boolean')).toEqual({ ok: false, reason: '"maybe" is not a boolean (true/false, yes/no, 1/0)' })
  })

  it('casts to dates, reading zoneless timestamps as UTC and numbers as epoch seconds', () => {
    expect(castValue('2025-07-01 10:30:00', 'date')).toEqual({ ok: true, value: new Date('2025-07-01T10:30:00Z') })
    expect(castValue('2025-07-01T10:30:00+02:00', 'date')).toEqual({ ok: true, value: new Date('2025-07-01T08:30:00Z') })
    expect(castValue(1751365800, 'date')).toEqual({ ok: true, value: new Date('2025-07-01T10:30:00Z') })
    expect(castValue('next tuesday', 'date').ok).toBe(false)
  })

  it('casts to strings, and keeps native types and nulls without a declared type', () => {
    expect(castValue(new Date('2025-07-01T00:00:00Z'), 'string')).toEqual({ ok: true, value: '2025-07-01T00:00:00.000Z' })
    expect(castValue(42, 'string')).toEqual({ ok: true, value: '42' })
    expect(castValue(42, undefined)).toEqual({ ok: true, value: 42 })
    expect(castValue({ a: [1] }, undefined)).toEqual({ ok: true, value: '{"a":[1]}' })
    expect(castValue(null, 'number')).toEqual({ ok: true, value: null })
  })
})

function sync(spec: Partial<SyncDocument['spec']>, type: 'loops' | 'braze' = 'loops') {
  const document: SyncDocument = {
    apiVersion: 'outflow/v1',
    kind: 'Sync',
    metadata: { name: 'people' },
    spec: {
      source: 'w',
      model: { table: 'people' },
      destination: type,
      object: 'contact',
      behavior: 'upsert',
      key: { column: 'id', field: 'userId' },
      mappings: [],
      ...spec,
    },
  }
  return normalizeSync(document, { file: 'people.yaml', line: 1 }, type)
}

describe('createRecordMapper', () => {
  const loopsContact = findObjectDescriptor('loops', 'contact')
  if (loopsContact === undefined) throw new Error('catalog')

  it('writes each mapping to its field with its type, the key to the key field, and a stable idempotency key', () => {
    const spec = sync({
      mappings: [
        { column: 'EMAIL', field: 'email' },
        { column: 'ltv', field: 'lifetimeValue', type: 'number' },
        { constant: 'warehouse', field: 'source' },
      ],
    })
    const map = createRecordMapper(spec, loopsContact, ['ID', 'EMAIL', 'LTV'])
    const mapped = map({ op: 'added', key: 'u1', hash: 'h1', values: { EMAIL: 'a@example.com', LTV: '19.90' } })
    // The idempotency key is read as connectors read it: computed on access, not held.
    const record = mapped.ok ? { ...mapped.record, idempotencyKey: mapped.record.idempotencyKey } : undefined
    expect({ ok: mapped.ok, record }).toEqual({
      ok: true,
      record: {
        key: 'u1',
        op: 'upsert',
        change: 'added',
        fields: { email: 'a@example.com', lifetimeValue: 19.9, source: 'warehouse', userId: 'u1' },
        idempotencyKey: recordIdempotencyKey('people', 'u1', 'h1'),
        rowHash: 'h1',
      },
    })
    expect(recordIdempotencyKey('people', 'u1', 'h1')).not.toBe(recordIdempotencyKey('people', 'u1', 'h2'))
  })

  it('refuses a new record without what the destination needs to create it, and a null the destination cannot clear', () => {
    const map = createRecordMapper(
      sync({
        mappings: [
          { column: 'email', field: 'email' },
          { column: 'first', field: 'firstName' },
        ],
      }),
      loopsContact,
      ['id', 'email', 'first'],
    )
    expect(map({ op: 'added', key: 'u1', hash: 'h', values: { email: null, first: 'Ada' } })).toEqual({
      ok: false,
      key: 'u1',
      reason: 'email is empty: Loops creates a contact only with an email',
    })
    // Loops would keep the contact's old email: the row must not count as synced.
    expect(map({ op: 'changed', key: 'u1', hash: 'h', values: { email: null, first: 'Ada' } })).toEqual({
      ok: false,
      key: 'u1',
      reason: "email is null: Loops cannot remove a contact's email, so it would keep the old one",
    })
    // A null Loops can clear is sent as one.
    expect(map({ op: 'changed', key: 'u1', hash: 'h', values: { email: 'a@example.com', first: null } })).toMatchObject({
      ok: true,
      record: { fields: { email: 'a@example.com', firstName: null, userId: 'u1' } },
    })
  })

  it('names every field whose value does not fit', () => {
    const map = createRecordMapper(
      sync({
        mappings: [
          { column: 'email', field: 'email' },
          { column: 'a', field: 'a', type: 'number' },
          { column: 'b', field: 'b', type: 'date' },
        ],
      }),
      loopsContact,
      ['id', 'email', 'a', 'b'],
    )
    const mapped = map({ op: 'changed', key: 'u1', hash: 'h', values: { email: 'x@example.com', a: 'n/a', b: 'soon' } })
    expect(mapped).toMatchObject({
      ok: false,
      reason: 'a: "n/a" is not a number; b: "soon" is not a date (a timestamp, ISO 8601 text or epoch seconds)',
    })
  })

  it('maps every column under allColumns with the chosen case, except the key and the excluded', () => {
    const map = createRecordMapper(
      sync({
        mappings: [
          { allColumns: true, case: 'camel', except: ['secret'] },
          { column: 'email', field: 'email' },
        ],
      } as never),
      loopsContact,
      ['id', 'email', 'first_name', 'secret'],
    )
    const mapped = map({ op: 'added', key: 'u1', hash: 'h', values: { email: 'a@example.com', first_name: 'Ada', secret: 's' } })
    expect(mapped.ok && mapped.record.fields).toEqual({ email: 'a@example.com', firstName: 'Ada', userId: 'u1' })
    expect(renameColumn('SIGNED_UP_AT', 'camel')).toBe('signedUpAt')
    expect(renameColumn('signedUpAt', 'snake')).toBe('signed_up_at')
  })

  it('turns removals into deletes that carry the key and whether the sync created the record', () => {
    const map = createRecordMapper(sync({ behavior: 'mirror' }), loopsContact, ['id'])
    expect(map({ op: 'removed', key: 'u9', hash: null, values: {}, created: true })).toMatchObject({
      ok: true,
      record: { key: 'u9', op: 'delete', change: 'removed', fields: { userId: 'u9' }, createdBySync: true },
    })
    const unknown = map({ op: 'removed', key: 'u8', hash: null, values: {} })
    expect(unknown.ok && 'createdBySync' in unknown.record).toBe(false)
  })
})

describe('deleteRefusal', () => {
  const base = { sync: 's', removals: 5, written: 100, modelEmpty: false, maxDeletes: undefined }
  it('allows deletes within the limits', () => {
    expect(deleteRefusal(base)).toBeUndefined()
    expect(deleteRefusal({ ...base, maxDeletes: { kind: 'percent', percent: 5 } })).toBeUndefined()
    expect(deleteRefusal({ ...base, maxDeletes: { kind: 'count', count: 5 } })).toBeUndefined()
  })
  it('refuses on an empty model whatever the limits, and beyond maxDeletes', () => {
    expect(deleteRefusal({ ...base, modelEmpty: true })).toContain('its model returned no rows')
    expect(deleteRefusal({ ...base, maxDeletes: { kind: 'percent', percent: 4 } })).toContain('more than maxDeletes 4% (4 records)')
    expect(deleteRefusal({ ...base, maxDeletes: { kind: 'count', count: 4 } })).toContain('more than maxDeletes 4;')
  })
})

describe('schedules', () => {
  const at = new Date('2026-11-23T10:15:00Z')
  it('finds the next cron time in the schedule zone and the next interval', () => {
    expect(nextRunAfter({ kind: 'cron', cron: '0 6 * * *', timezone: 'Europe/Berlin' }, at)).toEqual(new Date('2026-11-24T05:00:00Z'))
    expect(nextRunAfter({ kind: 'interval', interval: '15m', seconds: 900 }, at)).toEqual(new Date('2026-11-23T10:30:00Z'))
    expect(nextRunAfter({ kind: 'manual' }, at)).toBeUndefined()
  })
  it('is due when never run, or once the next time after the last start has come', () => {
    const hourly = { kind: 'cron', cron: '0 * * * *', timezone: 'UTC' } as const
    expect(isDue(hourly, undefined, at)).toBe(true)
    expect(isDue(hourly, new Date('2026-11-23T10:00:00Z'), at)).toBe(false)
    expect(isDue(hourly, new Date('2026-11-23T09:59:00Z'), at)).toBe(true)
    expect(isDue({ kind: 'manual' }, undefined, at)).toBe(false)
  })
})
