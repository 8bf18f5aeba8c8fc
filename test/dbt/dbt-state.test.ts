import { describe, expect, it } from 'vitest'

import { assembleDbtManifest } from '../../src/dbt/dbt-manifest.js'
import { compareDbtModel } from '../../src/dbt/dbt-state.js'
import { manifestJson, type FixtureNode } from './manifest-fixture.js'

const BASE: FixtureNode[] = [
  { name: 'raw_orders', resourceType: 'seed' },
  { name: 'orders', dependsOn: ['seed.shop.raw_orders'], macros: ['macro.shop.cents'] },
  { name: 'users', dependsOn: ['model.shop.orders'], columns: ['id'] },
]
const MACROS = { 'macro.shop.cents': '{% macro cents(x) %}{{ x }} * 100{% endmacro %}' }

function compare(current: FixtureNode[], model: string, macros: Record<string, string> = MACROS) {
  const base = assembleDbtManifest(manifestJson(BASE, { macros: MACROS }), 'base/manifest.json')
  return compareDbtModel(model, base, assembleDbtManifest(manifestJson(current, { macros }), 'target/manifest.json'))
}

function changed(name: string, change: Partial<FixtureNode>): FixtureNode[] {
  return BASE.map((node) => (node.name === name ? { ...node, ...change } : node))
}

describe("compareDbtModel (dbt's state:modified+)", () => {
  it('finds nothing when the manifests agree', () => {
    expect(compare(BASE, 'model.shop.users')).toBeUndefined()
  })

  it('names how a model itself changed: its SQL, its config, its relation, a macro it calls', () => {
    expect(compare(changed('orders', { checksum: 'orders-2' }), 'model.shop.orders')).toEqual({
      model: 'model.shop.orders',
      kinds: ['body'],
      upstream: [],
    })
    expect(compare(changed('orders', { config: { schema: 'marts' }, schema: 'main_marts' }), 'model.shop.orders')?.kinds).toEqual([
      'configs',
      'relation',
    ])
    expect(compare(BASE, 'model.shop.orders', { 'macro.shop.cents': '{% macro cents(x) %}{{ x }} * 1000{% endmacro %}' })?.kinds).toEqual([
      'macros',
    ])
  })

  it('finds changes upstream: a model or seed the model is built from, directly or not', () => {
    expect(compare(changed('raw_orders', { checksum: 'new-data' }), 'model.shop.users')).toEqual({
      model: 'model.shop.users',
      kinds: [],
      upstream: ['raw_orders'],
    })
    expect(compare(changed('orders', { checksum: 'orders-2' }), 'model.shop.users')?.upstream).toEqual(['orders'])
  })

  it('calls a model missing from the base new, and ignores a description', () => {
    expect(compare([...BASE, { name: 'accounts' }], 'model.shop.accounts')).toEqual({
      model: 'model.shop.accounts',
      kinds: ['new'],
      upstream: [],
    })
    expect(compare(changed('users', { description: 'Now documented' }), 'model.shop.users')).toBeUndefined()
  })

  it('compares the columns of an enforced contract', () => {
    expect(compare(changed('users', { contract: true, columns: ['id', 'email'] }), 'model.shop.users')?.kinds).toEqual(['contract'])
  })
})
