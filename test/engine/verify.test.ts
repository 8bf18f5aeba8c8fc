import { describe, expect, it } from 'vitest'

import type { ValueForms } from '../../src/destinations/record-reader.js'
import { brazeCatalog } from '../../providers/braze/braze-catalog.js'
import { assessRemoved, assessSynced, type AssessContext } from '../../src/engine/verify/assess-record.js'
import { differingFields, sameValue } from '../../src/engine/verify/compare-values.js'
import { readWithRetry } from '../../src/engine/verify/read-with-retry.js'
import { readVendorDate } from '../../src/engine/verify/vendor-date.js'
import { createRecordMapper } from '../../src/engine/map-record.js'
import { normalizeSync } from '../../src/spec/normalize.js'
import { isOutflowError } from '../../src/errors.js'

const EXACT: ValueForms = { datePrecisionMs: 1, caseInsensitiveFields: [] }
const SENT = new Date('2026-03-02T08:30:15.250Z')

describe('reading vendor dates', () => {
  it('reads every form the vendors store a date in', () => {
    expect(readVendorDate('$D_1772440215')).toEqual({ ms: 1772440215000, dayOnly: false })
    expect(readVendorDate('2026-03-02T08:30:15.250Z')).toEqual({ ms: SENT.getTime(), dayOnly: false })
    expect(readVendorDate('2026-03-02T08:30:15.250')).toEqual({ ms: SENT.getTime(), dayOnly: false })
    expect(readVendorDate('2026-03-02T08:30:15:250Z')).toEqual({ ms: SENT.getTime(), dayOnly: false })
    expect(readVendorDate('2026-03-02 09:30:15.250+01:00')).toEqual({ ms: SENT.getTime(), dayOnly: false })
    expect(readVendorDate('2026-03-02')).toEqual({ ms: Date.parse('2026-03-02T00:00:00Z'), dayOnly: true })
    expect(readVendorDate(1772440215)).toEqual({ ms: 1772440215000, dayOnly: false })
    expect(readVendorDate(1772440215250)).toEqual({ ms: 1772440215250, dayOnly: false })
    expect(readVendorDate('next tuesday')).toBeUndefined()
    expect(readVendorDate(true)).toBeUndefined()
  })
})

describe('comparing values', () => {
  it('takes a null sent as a field the vendor removed or emptied', () => {
    for (const stored of [undefined, null, '']) expect(sameValue('plan', null, stored, EXACT)).toBe(true)
    expect(sameValue('plan', null, 'free', EXACT)).toBe(false)
    expect(sameValue('plan', 'free', undefined, EXACT)).toBe(false)
  })

  it('compares dates to the precision the vendor keeps', () => {
    expect(sameValue('signedUpAt', SENT, '2026-03-02T08:30:15.250Z', EXACT)).toBe(true)
    expect(sameValue('signedUpAt', SENT, '2026-03-02T08:30:15.000Z', EXACT)).toBe(false)
    expect(sameValue('Signed Up', SENT, '$D_1772440215', { ...EXACT, datePrecisionMs: 1000 })).toBe(true)
    expect(sameValue('Signed Up', SENT, '$D_1772440216', { ...EXACT, datePrecisionMs: 1000 })).toBe(false)
    expect(sameValue('dob', SENT, '2026-03-02', EXACT)).toBe(true)
    expect(sameValue('dob', SENT, '2026-03-03', EXACT)).toBe(false)
  })

  it('reads numbers and booleans stored as text, and text the vendor typed', () => {
    expect(sameValue('score', 20, '20', EXACT)).toBe(true)
    expect(sameValue('score', 0.1 + 0.2, 0.3, EXACT)).toBe(true)
    expect(sameValue('score', 20, 21, EXACT)).toBe(false)
    expect(sameValue('subscribed', true, 'true', EXACT)).toBe(true)
    expect(sameValue('subscribed', true, false, EXACT)).toBe(false)
    expect(sameValue('zip', '01234', 1234, EXACT)).toBe(false)
    expect(sameValue('zip', '1234', 1234, EXACT)).toBe(true)
  })

  it('ignores case only for the fields the vendor changes', () => {
    const braze: ValueForms = { ...EXACT, caseInsensitiveFields: ['country'] }
    expect(sameValue('country', 'de', 'DE', braze)).toBe(true)
    expect(sameValue('plan', 'pro', 'PRO', braze)).toBe(false)
  })

  it('compares only the fields the sync writes', () => {
    expect(differingFields({ plan: 'pro', score: 2 }, { plan: 'pro', score: 3, other: 'kept by another system' }, EXACT)).toEqual([
      { field: 'score', expected: 2, actual: 3 },
    ])
  })
})

describe('assessing a record', () => {
  const sync = normalizeSync(
    {
      apiVersion: 'outflow/v1',
      kind: 'Sync',
      metadata: { name: 'braze-users' },
      spec: {
        source: 'warehouse',
        model: { table: 'people' },
        destination: 'braze',
        object: 'user',
        behavior: 'mirror',
        key: { column: 'id', field: 'external_id' },
        mappings: [{ column: 'plan' }, { column: 'score', type: 'number' }],
      },
    },
    { file: 'test.yaml', line: 1 },
    'braze',
  )
  const context = (showValues: boolean): AssessContext => ({
    map: createRecordMapper(sync, brazeCatalog.objects.user, ['plan', 'score']),
    keyField: 'external_id',
    forms: EXACT,
    showValues,
  })
  const row = { key: 'u1', values: { plan: 'pro', score: '7' } }

  it('is in sync when every written field matches, whatever the key field holds', () => {
    expect(assessSynced(row, { found: true, fields: { plan: 'pro', score: 7 } }, context(false))).toEqual({ kind: 'inSync' })
  })

  it('names the differing fields, with their values only when asked', () => {
    const read = { found: true as const, fields: { plan: 'free', score: 7 } }
    expect(assessSynced(row, read, context(false))).toEqual({ kind: 'different', key: 'u1', fields: [{ field: 'plan' }] })
    expect(assessSynced(row, read, context(true))).toEqual({
      kind: 'different',
      key: 'u1',
      fields: [{ field: 'plan', expected: 'pro', actual: 'free' }],
    })
  })

  it('tells missing records, records gone from the model, and rows the mapping now refuses apart', () => {
    expect(assessSynced(row, { found: false, detail: 'no profile' }, context(false))).toEqual({
      kind: 'missing',
      key: 'u1',
      detail: 'no profile',
    })
    expect(assessSynced({ key: 'u1', values: undefined }, { found: true, fields: {} }, context(false))).toEqual({ kind: 'outOfModel' })
    expect(assessSynced({ key: 'u1', values: { plan: 'pro', score: 'many' } }, { found: true, fields: {} }, context(false))).toEqual({
      kind: 'pending',
    })
  })

  it('reports a removed record the vendor still has', () => {
    expect(assessRemoved('u9', '2026-03-02T00:00:00.000Z', { found: true, fields: {} })).toEqual({
      kind: 'stillPresent',
      key: 'u9',
      removedAt: '2026-03-02T00:00:00.000Z',
    })
    expect(assessRemoved('u9', '2026-03-02T00:00:00.000Z', { found: false })).toBeUndefined()
  })
})

describe('retrying reads', () => {
  const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }
  const records = new Map([['u1', { found: false as const }]])

  it('tries a read the vendor rate limited again after its delay', async () => {
    let calls = 0
    const started = performance.now()
    const read = await readWithRetry(() => {
      calls += 1
      return Promise.resolve(
        calls === 1 ? { ok: false, retry: { code: 'rate_limited', message: 'slow down', retryAfterMs: 30 } } : { ok: true, records },
      )
    }, policy)
    expect(read).toBe(records)
    expect(calls).toBe(2)
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
  })

  it('gives up after the last try with the vendor failure', async () => {
    const error: unknown = await readWithRetry(
      () =>
        Promise.resolve({
          ok: false,
          retry: { code: 'vendor_error', message: 'destination "braze": Braze answered HTTP 503, POST /users/export/ids' },
        }),
      policy,
    ).catch((e: unknown) => e)
    expect(isOutflowError(error) && error.code).toBe('DESTINATION_UNAVAILABLE')
    expect((error as Error).message).toBe('destination "braze": Braze answered HTTP 503, POST /users/export/ids (gave up after 3 tries)')
  })
})
