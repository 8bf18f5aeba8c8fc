import { describe, expect, it } from 'vitest'

import { assembleDbtManifest } from '../../src/dbt/dbt-manifest.js'
import { selectDbtModels } from '../../src/dbt/select-dbt-models.js'
import { manifestJson } from './manifest-fixture.js'

const MANIFEST = assembleDbtManifest(
  manifestJson([
    { name: 'raw_orders', resourceType: 'seed', path: 'seeds/raw_orders.csv' },
    { name: 'stg_orders', dependsOn: ['seed.shop.raw_orders'], path: 'models/staging/stg_orders.sql' },
    { name: 'orders', dependsOn: ['model.shop.stg_orders'], path: 'models/marts/orders.sql', tags: ['crm'] },
    { name: 'users', dependsOn: ['model.shop.orders'], path: 'models/marts/users.sql' },
    { name: 'finance', path: 'models/finance.sql' },
  ]),
  'target/manifest.json',
)

const select = (selector: string) => {
  const { selected, unmatched } = selectDbtModels(MANIFEST, selector)
  return { selected: [...selected].sort(), unmatched }
}

describe('selectDbtModels', () => {
  it('takes names, package.name and unique ids, separated by commas or spaces', () => {
    expect(select('users,orders').selected).toEqual(['model.shop.orders', 'model.shop.users'])
    expect(select('shop.users model.shop.finance').selected).toEqual(['model.shop.finance', 'model.shop.users'])
  })

  it("follows dbt's graph operators: + before for what a model is built from, after for what is built from it", () => {
    expect(select('stg_orders+').selected).toEqual(['model.shop.orders', 'model.shop.stg_orders', 'model.shop.users'])
    expect(select('+orders').selected).toEqual(['model.shop.orders', 'model.shop.stg_orders', 'seed.shop.raw_orders'])
  })

  it('selects by fqn path, tag and file path', () => {
    expect(select('marts').selected).toEqual(['model.shop.orders', 'model.shop.users'])
    expect(select('tag:crm').selected).toEqual(['model.shop.orders'])
    expect(select('path:models/staging').selected).toEqual(['model.shop.stg_orders'])
  })

  it('reports what matched nothing, with a suggestion', () => {
    expect(select('userz,orders')).toEqual({
      selected: ['model.shop.orders'],
      unmatched: [{ item: 'userz', hint: ' (did you mean "users"?)' }],
    })
  })
})
