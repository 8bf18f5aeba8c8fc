import { Agent } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import type { DestinationConnector } from '../../src/destinations/destination.js'
import { createRequestGate } from '../../src/engine/request-gate.js'
import { runSync } from '../../src/engine/run-sync.js'
import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { createBrazeConnector } from '../../providers/braze/braze-connector.js'
import { createPeople, insertPeople, people, peopleSync, uniqueSchema } from '../warehouse/contract-fixtures.js'
import { WAREHOUSE_TARGETS } from '../warehouse/warehouse-targets.js'
import { FAST_RETRY } from './helpers/sync-workspace.js'

/*
 * The runner on every warehouse engine: what the state store records and what the destination
 * ends with must not depend on the engine.
 */

const agent = new Agent()
let braze: BrazeEmulator
let connector: DestinationConnector

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  connector = createBrazeConnector({
    name: 'braze',
    connection: { type: 'braze', restEndpoint: braze.url, apiKey: { secret: 'KEY' } },
    credentials: { KEY: 'braze-test-key' },
    dispatcher: agent,
  })
})
afterAll(async () => {
  await braze.stop()
  await agent.close()
})
beforeEach(() => braze.reset())

const externalIds = () =>
  braze
    .state()
    .users.map((u) => u.external_id)
    .sort()

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(`runner contract: ${target.skipReason ?? target.name}`, () => {
    let adapter: WarehouseAdapter
    beforeAll(async () => {
      adapter = await target.open()
    })
    afterAll(() => adapter.close())

    const run = (schema: string, sync = peopleSync(schema)) =>
      runSync(
        { adapter, schema, sync, connector, gate: createRequestGate(connector.rateLimits), holder: `test-${target.name}` },
        { retry: FAST_RETRY },
      )

    it('mirrors the model: everything first, then only inserts, updates and deletes', async () => {
      const schema = uniqueSchema()
      await createPeople(adapter, schema, people(120))
      await migrateState(adapter, schema)
      const first = await run(schema)
      expect(first).toMatchObject({ status: 'succeeded', counts: { added: 120, synced: 120, rejected: 0 } })
      expect(externalIds()).toHaveLength(120)

      await adapter.run({ sql: `update ${schema}.people set plan = 'pro' where id in (1, 2)` })
      await adapter.run({ sql: `delete from ${schema}.people where id = 3` })
      await insertPeople(adapter, schema, [{ id: 500, email: 'new@example.com', plan: 'team', score: 1 }])
      braze.reset()
      const second = await run(schema)
      expect(second).toMatchObject({ status: 'succeeded', counts: { added: 1, changed: 2, removed: 1, synced: 4 } })
      expect(externalIds()).toEqual(['1', '2', '500'])
      expect(braze.requests().map((r) => r.path)).toEqual(['/users/track', '/users/delete'])

      braze.reset()
      expect(await run(schema)).toMatchObject({ counts: { added: 0, changed: 0, removed: 0 }, deliveries: 0 })
      expect(braze.requests()).toHaveLength(0)
    })

    it('sends each event once, and records rejected rows', async () => {
      const schema = uniqueSchema()
      await createPeople(adapter, schema, [...people(30), { id: null, email: 'x@example.com', plan: null, score: 0 }])
      await migrateState(adapter, schema)
      const events = peopleSync(schema, {
        object: 'event',
        behavior: 'send',
        key: { column: 'id' },
        mappings: [{ column: 'email' }, { constant: 'signed_up', field: 'name' }, { column: 'id', field: 'external_id', type: 'string' }],
        backfill: true,
      })
      const first = await run(schema, events)
      expect(first).toMatchObject({ status: 'succeeded', counts: { added: 30, synced: 30, rejected: 1 } })
      await insertPeople(adapter, schema, people(35).slice(30))
      const second = await run(schema, events)
      expect(second.counts).toMatchObject({ added: 5, synced: 5 })
      const sent = braze.state().events.map((e) => e.external_id)
      expect(sent).toHaveLength(35)
      expect(new Set(sent).size).toBe(35)
    })
  })
}
