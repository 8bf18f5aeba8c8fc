import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { assembleDbtExposures } from '../../src/dbt/dbt-exposures.js'
import type { DbtModelRef, SyncSpec } from '../../src/model/spec-types.js'

/** A sync reading a dbt model (`users` unless `model` says otherwise), or a table when `table` is given. */
function sync(name: string, model: Partial<DbtModelRef>, labels: Record<string, string> = {}, table?: string): SyncSpec {
  const dbt: DbtModelRef = {
    dbt: 'users',
    table: '"w"."main"."users"',
    uniqueId: 'model.shop.users',
    package: 'shop',
    relation: { database: 'w', schema: 'main', alias: 'users' },
    description: undefined,
    columns: [],
  }
  return {
    kind: 'Sync',
    name,
    description: `${name} description`,
    labels,
    origin: { file: `${name}.yaml`, line: 1 },
    source: 'warehouse',
    model: table === undefined ? { ...dbt, ...model } : { table },
    destination: 'braze',
    object: 'user',
    behavior: 'upsert',
    key: { column: 'id', field: 'external_id' },
    mappings: [],
    schedule: { kind: 'manual' },
    options: {},
    maxDeletes: undefined,
    backfill: false,
  }
}

describe('assembleDbtExposures', () => {
  it('writes one application exposure per sync reading a dbt model, sorted, owned from its labels', () => {
    const text = assembleDbtExposures(
      [
        sync('loops-contacts', {}, { owner: 'lifecycle', 'owner-email': 'lifecycle@example.com', team: 'growth' }),
        sync('braze-users', { dbt: 'crm.accounts', package: 'crm' }, { team: 'growth' }),
        sync('courier-profiles', {}, {}, 'people'),
        sync('braze-events', {}),
      ],
      'shop',
    )
    expect(text.startsWith('# Written by `outflow dbt exposures`')).toBe(true)
    const file = parse(text) as { version: number; exposures: Record<string, unknown>[] }
    expect(file.version).toBe(2)
    expect(file.exposures.map((e) => [e['name'], e['depends_on'], e['owner']])).toEqual([
      ['outflow_braze_events', ["ref('users')"], { name: 'Outflow' }],
      ['outflow_braze_users', ["ref('crm', 'accounts')"], { name: 'growth' }],
      ['outflow_loops_contacts', ["ref('users')"], { name: 'lifecycle', email: 'lifecycle@example.com' }],
    ])
    expect(file.exposures[2]).toMatchObject({
      label: 'loops-contacts',
      type: 'application',
      description: 'loops-contacts description\n\nOutflow sync to braze user (upsert).',
      config: {
        tags: ['outflow'],
        meta: { outflow: { sync: 'loops-contacts', destination: 'braze', object: 'user', behavior: 'upsert' } },
      },
    })
  })
})
