import { resolve } from 'node:path'

import { describe, expect, it } from 'vitest'

import { DESTINATION_CATALOGS } from '../../providers/registry.js'
import { loadSpecs } from '../../src/spec/load-specs.js'

describe('the example project in syncs/', () => {
  it('is valid', async () => {
    const result = await loadSpecs('syncs')
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([])
  })

  it('covers every object of every destination', async () => {
    const { value } = await loadSpecs('syncs')
    const types = new Map(value?.destinations.map((d) => [d.name, d.connection.type]))
    const covered = new Set(value?.syncs.map((s) => `${types.get(s.destination) ?? '?'}/${s.object}`))
    const all = Object.values(DESTINATION_CATALOGS).flatMap((c) => Object.keys(c.objects).map((o) => `${c.type}/${o}`))
    expect([...covered].sort()).toEqual(all.sort())
  })

  it('resolves the DuckDB path against the spec file', async () => {
    const { value } = await loadSpecs('syncs')
    const connection = value?.sources[0]?.connection
    expect(connection).toMatchObject({
      type: 'duckdb',
      path: resolve('.outflow/demo.duckdb'),
      stateSchema: 'outflow',
      memoryLimit: '512MB',
    })
  })
})
