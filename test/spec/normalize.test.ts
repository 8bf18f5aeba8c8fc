import { describe, expect, it } from 'vitest'

import { intervalSeconds, normalizeSchedule, normalizeSync } from '../../src/spec/normalize.js'
import type { SyncDocument } from '../../src/model/spec-document-types.generated.js'

const origin = { file: 's.yaml', line: 1 }
const document = (spec: Partial<SyncDocument['spec']>): SyncDocument => ({
  apiVersion: 'outflow/v1',
  kind: 'Sync',
  metadata: { name: 's' },
  spec: { source: 'w', model: { table: 't' }, destination: 'd', object: 'contact', behavior: 'upsert', key: { column: 'email' }, ...spec },
})

describe('normalizeSync', () => {
  it('fills every default', () => {
    const sync = normalizeSync(document({}), origin, 'loops')
    expect(sync).toMatchObject({
      key: { column: 'email', field: undefined },
      mappings: [],
      schedule: { kind: 'manual' },
      options: {},
      maxDeletes: undefined,
      backfill: false,
      labels: {},
    })
  })

  it("defaults the key field to the object's only identifier", () => {
    expect(normalizeSync(document({ object: 'user', key: { column: 'id' } }), origin, 'braze').key).toEqual({
      column: 'id',
      field: 'external_id',
    })
  })

  it('names the field of every column mapping and fills allColumns defaults', () => {
    const sync = normalizeSync(
      document({ mappings: [{ column: 'first_name' }, { constant: 1, field: 'n' }, { allColumns: true }] }),
      origin,
      'loops',
    )
    expect(sync.mappings).toEqual([
      { kind: 'column', column: 'first_name', field: 'first_name', type: undefined },
      { kind: 'constant', value: 1, field: 'n', type: undefined },
      { kind: 'allColumns', case: 'preserve', except: [] },
    ])
  })

  it('reads delete limits as counts or percentages', () => {
    expect(normalizeSync(document({ behavior: 'mirror', maxDeletes: 10 }), origin, 'loops').maxDeletes).toEqual({
      kind: 'count',
      count: 10,
    })
    expect(normalizeSync(document({ behavior: 'mirror', maxDeletes: '2.5%' }), origin, 'loops').maxDeletes).toEqual({
      kind: 'percent',
      percent: 2.5,
    })
  })

  it('defaults a Loops trigger event to contact creation', () => {
    const sync = normalizeSync(document({ options: { triggerEvent: { name: 'synced' } } }), origin, 'loops')
    expect(sync.options.triggerEvent).toEqual({ name: 'synced', on: ['create'] })
  })
})

describe('schedules', () => {
  it('reads cron with a UTC default, intervals in seconds, and no schedule as manual', () => {
    expect(normalizeSchedule({ cron: '0 * * * *' })).toEqual({ kind: 'cron', cron: '0 * * * *', timezone: 'UTC' })
    expect(normalizeSchedule({ interval: '15m' })).toEqual({ kind: 'interval', interval: '15m', seconds: 900 })
    expect(normalizeSchedule(undefined)).toEqual({ kind: 'manual' })
    expect([intervalSeconds('30s'), intervalSeconds('2h'), intervalSeconds('1d')]).toEqual([30, 7200, 86400])
  })
})
