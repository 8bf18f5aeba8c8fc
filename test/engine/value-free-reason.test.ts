import { describe, expect, it } from 'vitest'

import { findObjectDescriptor } from '../../providers/registry.js'
import { createRecordMapper, type MappedRow } from '../../src/engine/map-record.js'
import { countByReason, UNLISTED_REASON, valueFreeReason } from '../../src/engine/value-free-reason.js'
import type { SyncDocument } from '../../src/model/spec-document-types.generated.js'
import { normalizeSync } from '../../src/spec/normalize.js'

/* The reasons come from the real mapper, so a change of its wording shows here first. */

const contact = findObjectDescriptor('loops', 'contact')
if (contact === undefined) throw new Error('catalog')

const document: SyncDocument = {
  apiVersion: 'outflow/v1',
  kind: 'Sync',
  metadata: { name: 'people' },
  spec: {
    source: 'w',
    model: { table: 'people' },
    destination: 'loops',
    object: 'contact',
    behavior: 'upsert',
    key: { column: 'id', field: 'userId' },
    mappings: [
      { column: 'email', field: 'email' },
      { column: 'vip', field: 'vip', type: 'boolean' },
      { column: 'ltv', field: 'lifetimeValue', type: 'number' },
    ],
  },
}
const map = createRecordMapper(normalizeSync(document, { file: 'people.yaml', line: 1 }, 'loops'), contact, ['id', 'email', 'vip', 'ltv'])

function reasonOf(values: Record<string, string | null>, op: 'added' | 'changed' = 'changed', key = 'u1'): string {
  const mapped: MappedRow = map({ op, key, hash: 'h', values: { email: 'ada@example.com', vip: 'yes', ltv: '1', ...values } })
  if (mapped.ok) throw new Error('expected a refusal')
  return mapped.reason
}

describe('valueFreeReason', () => {
  it('masks the values a mapper refusal quotes, and keeps the field and what was expected', () => {
    const reason = reasonOf({ vip: 'maybe', ltv: '12abc' })
    expect(reason).toContain('"maybe"')
    expect(valueFreeReason(reason)).toEqual({
      reason: 'vip: a value that is not a boolean (true/false, yes/no, 1/0); lifetimeValue: a value that is not a number',
      rows: 1,
    })
  })

  it('masks values that look like the reason around them', () => {
    const reason = reasonOf({ vip: 'x" is not a number; email: "@octocat', ltv: '"; </details>' })
    const { reason: masked } = valueFreeReason(reason)
    expect(masked).toBe('vip: a value that is not a boolean (true/false, yes/no, 1/0); lifetimeValue: a value that is not a number')
  })

  it('passes value-free refusals through', () => {
    expect(valueFreeReason(reasonOf({ email: null }, 'added')).reason).toBe('email is empty: Loops creates a contact only with an email')
    expect(valueFreeReason(reasonOf({ email: null })).reason).toBe(
      "email is null: Loops cannot remove a contact's email, so it would keep the old one",
    )
    expect(valueFreeReason(reasonOf({}, 'changed', ' ')).reason).toBe('the key is empty')
  })

  it('counts null and duplicated keys by the rows they stand for', () => {
    expect(valueFreeReason('7 rows have a null key')).toEqual({ reason: 'null key', rows: 7 })
    expect(valueFreeReason('duplicate key: 3 rows share it')).toEqual({ reason: 'duplicate key', rows: 3 })
  })

  it('never passes through a reason of another form, which could quote a value', () => {
    expect(valueFreeReason('Invalid email ada@example.com [DESTINATION_REQUEST_INVALID]').reason).toBe(UNLISTED_REASON)
    expect(valueFreeReason('vip: "unterminated is not a boolean').reason).toBe(UNLISTED_REASON)
  })
})

describe('countByReason', () => {
  it('groups refusals by value-free reason, the most rows first', () => {
    const rejections = [
      { reason: reasonOf({ vip: 'maybe' }) },
      { reason: reasonOf({ vip: 'perhaps' }) },
      { reason: 'duplicate key: 2 rows share it' },
      { reason: 'duplicate key: 4 rows share it' },
      { reason: '1 row has a null key' },
    ]
    expect(countByReason(rejections)).toEqual([
      { reason: 'duplicate key', rows: 6 },
      { reason: 'vip: a value that is not a boolean (true/false, yes/no, 1/0)', rows: 2 },
      { reason: 'null key', rows: 1 },
    ])
  })
})
