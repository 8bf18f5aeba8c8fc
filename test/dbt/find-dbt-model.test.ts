import { describe, expect, it } from 'vitest'

import { assembleDbtManifest } from '../../src/dbt/dbt-manifest.js'
import { findDbtModel } from '../../src/dbt/find-dbt-model.js'
import { manifestJson, type FixtureNode } from './manifest-fixture.js'

function manifest(nodes: FixtureNode[], disabled: string[] = []) {
  return assembleDbtManifest(manifestJson(nodes, { disabled }), 'target/manifest.json')
}

describe('findDbtModel', () => {
  it('finds a model by name, with its relation, description and documented columns', () => {
    const found = findDbtModel(
      manifest([{ name: 'users', alias: 'dim_users', description: 'One row per user', columns: ['id', 'email'] }]),
      'users',
    )
    expect(found).toMatchObject({
      model: {
        uniqueId: 'model.shop.users',
        relationName: '"warehouse"."main"."dim_users"',
        schema: 'main',
        alias: 'dim_users',
        description: 'One row per user',
        columns: [
          { name: 'id', description: '', dataType: undefined },
          { name: 'email', description: '', dataType: undefined },
        ],
      },
    })
  })

  it('suggests the closest name for an unknown model, and lists the models when none is close', () => {
    const nodes: FixtureNode[] = [{ name: 'users' }, { name: 'orders' }]
    expect(findDbtModel(manifest(nodes), 'userz')).toEqual({
      problem:
        'no dbt model "userz" in target/manifest.json (did you mean "users"?); a model added since dbt last ran needs `dbt parse` (or `dbt build`) first',
    })
    expect(findDbtModel(manifest(nodes), 'invoices')).toMatchObject({
      problem: expect.stringContaining('(models: orders, users)') as unknown,
    })
  })

  it('says a disabled model is disabled, and an ephemeral one builds nothing to read', () => {
    expect(findDbtModel(manifest([{ name: 'users' }], ['legacy']), 'legacy')).toEqual({
      problem: 'dbt model "legacy" is disabled in target/manifest.json',
    })
    expect(findDbtModel(manifest([{ name: 'stg', materialized: 'ephemeral' }]), 'stg')).toMatchObject({
      problem: expect.stringContaining('dbt model "stg" is ephemeral: dbt builds no table or view') as unknown,
    })
  })

  it('prefers the root project, takes package.name, and asks for a package when two others share a name', () => {
    const nodes: FixtureNode[] = [
      { name: 'users' },
      { name: 'users', packageName: 'crm' },
      { name: 'events', packageName: 'a' },
      { name: 'events', packageName: 'b' },
    ]
    expect(findDbtModel(manifest(nodes), 'users')).toMatchObject({ model: { uniqueId: 'model.shop.users' } })
    expect(findDbtModel(manifest(nodes), 'crm.users')).toMatchObject({ model: { uniqueId: 'model.crm.users' } })
    expect(findDbtModel(manifest(nodes), 'events')).toEqual({
      problem: 'dbt model "events" is in several packages of target/manifest.json: write one of a.events, b.events',
    })
  })

  it("takes a versioned model's latest version", () => {
    const nodes: FixtureNode[] = [
      { name: 'users', version: 1, latestVersion: 2, alias: 'users_v1' },
      { name: 'users', version: 2, latestVersion: 2, alias: 'users_v2' },
    ]
    expect(findDbtModel(manifest(nodes), 'users')).toMatchObject({ model: { uniqueId: 'model.shop.users.v2', alias: 'users_v2' } })
  })

  it('refuses JSON that is not a manifest', () => {
    expect(() => assembleDbtManifest({ nodes: [] }, 'x.json')).toThrow('not a dbt manifest')
  })
})
