import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { acquireLease, readLease, releaseLease, renewLease } from '../../src/warehouse/state/leases.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { uniqueSchema } from './contract-fixtures.js'
import { WAREHOUSE_TARGETS } from './warehouse-targets.js'

const MINUTE = 60_000

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(`lease contract: ${target.skipReason ?? target.name}`, () => {
    let adapter: WarehouseAdapter
    const schema = uniqueSchema()
    beforeAll(async () => {
      adapter = await target.open()
      await migrateState(adapter, schema)
    })
    afterAll(() => adapter.close())

    it('gives a sync to one runner at a time, until it releases it', async () => {
      expect(await acquireLease(adapter, schema, 'a', 'runner-1', MINUTE)).toBe(true)
      expect(await acquireLease(adapter, schema, 'a', 'runner-2', MINUTE)).toBe(false)
      expect(await acquireLease(adapter, schema, 'a', 'runner-1', MINUTE)).toBe(true)
      expect((await readLease(adapter, schema, 'a'))?.holder).toBe('runner-1')
      await releaseLease(adapter, schema, 'a', 'runner-2') // not the holder: no effect
      expect((await readLease(adapter, schema, 'a'))?.holder).toBe('runner-1')
      await releaseLease(adapter, schema, 'a', 'runner-1')
      expect(await readLease(adapter, schema, 'a')).toBeUndefined()
      expect(await acquireLease(adapter, schema, 'a', 'runner-2', MINUTE)).toBe(true)
    })

    it('lets another runner take an expired lease, and the old holder cannot renew it', async () => {
      expect(await acquireLease(adapter, schema, 'b', 'runner-1', 50)).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(await acquireLease(adapter, schema, 'b', 'runner-2', MINUTE)).toBe(true)
      expect(await renewLease(adapter, schema, 'b', 'runner-1', MINUTE)).toBe(false)
      expect(await renewLease(adapter, schema, 'b', 'runner-2', MINUTE)).toBe(true)
    })

    it('lets exactly one of several racing runners win, each on its own connection', async () => {
      const racers = await Promise.all(Array.from({ length: 4 }, () => target.open()))
      try {
        await acquireLease(adapter, schema, 'c', 'nobody', 1) // the lease row exists; it has expired by the race
        await new Promise((resolve) => setTimeout(resolve, 20))
        const wins = await Promise.all(racers.map((racer, i) => acquireLease(racer, schema, 'c', `racer-${i}`, MINUTE)))
        expect(wins.filter(Boolean)).toHaveLength(1)
        expect((await readLease(adapter, schema, 'c'))?.holder).toBe(`racer-${wins.indexOf(true)}`)
      } finally {
        await Promise.all(racers.map((r) => r.close()))
      }
    })
  })
}
