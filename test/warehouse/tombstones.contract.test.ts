import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { countPending, streamRemovedKeys, streamSyncedRows, type VerifyRowsSource } from '../../src/engine/verify/verify-rows.js'
import { computeDiff } from '../../src/warehouse/diff/compute-diff.js'
import { computePlanDiff } from '../../src/warehouse/diff/compute-plan-diff.js'
import { field, textField } from '../../src/warehouse/row-field.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import { applyPending, ensureSyncTables, recordAccepted } from '../../src/warehouse/state/snapshot.js'
import { readStatePresence } from '../../src/warehouse/state/state-presence.js'
import { syncTables } from '../../src/warehouse/state/state-tables.js'
import { tombstoneTable } from '../../src/warehouse/state/tombstones.js'
import type { SyncSpec } from '../../src/model/spec-types.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { createPeople, deliver, insertPeople, people, peopleSync, uniqueSchema } from './contract-fixtures.js'
import { WAREHOUSE_TARGETS } from './warehouse-targets.js'

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(`tombstones and verify rows: ${target.skipReason ?? target.name}`, () => {
    let adapter: WarehouseAdapter
    beforeAll(async () => {
      adapter = await target.open()
    })
    afterAll(() => adapter.close())

    async function setUp(count: number): Promise<{ schema: string; sync: SyncSpec }> {
      const schema = uniqueSchema()
      await migrateState(adapter, schema)
      await createPeople(adapter, schema, people(count))
      return { schema, sync: peopleSync(schema) }
    }

    /** The sync's change set computed as `outflow verify` computes it, in a read-only session, and what verify reads next to it. */
    function inPlanSession<T>(
      schema: string,
      sync: SyncSpec,
      sample: number | undefined,
      fn: (source: VerifyRowsSource) => Promise<T>,
    ): Promise<T> {
      return adapter.readOnlySession(async (session) => {
        const changes = await computePlanDiff(session, await readStatePresence(session, schema), sync)
        const tables = {
          snapshot: syncTables(session.dialect, schema, sync.name).snapshot,
          changes: changes.table,
          tombstones: tombstoneTable(session.dialect, schema, sync.name),
        }
        return fn({ reader: session, tables, plan: changes.plan, sample })
      })
    }

    async function tombstones(schema: string, sync: string): Promise<[string, unknown][]> {
      const { rows } = await adapter.run({ sql: `select row_key, created from ${tombstoneTable(adapter.dialect, schema, sync)}` })
      return rows
        .map((row): [string, unknown] => [textField(row, 'row_key') ?? '', field(row, 'created')])
        .sort(([a], [b]) => a.localeCompare(b))
    }

    /** Records every change as accepted, with whether the vendor said it created each record, and merges the snapshot. */
    async function deliverCreated(schema: string, sync: SyncSpec, created: (key: string) => boolean | undefined): Promise<void> {
      const changes = await computeDiff(adapter, schema, sync)
      for await (const rows of changes.rows(100)) {
        const accepted = rows.map((row) => ({ key: row.key, hash: row.hash, op: 'upsert' as const, created: created(row.key) }))
        await recordAccepted(adapter, schema, sync.name, accepted, 'run-1')
      }
      await applyPending(adapter, schema, sync.name, changes.specHash)
    }

    async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
      const all: T[] = []
      for await (const page of pages) all.push(...page)
      return all
    }

    it('keeps a tombstone per key a mirror removed, with whether the sync created it, until the key is upserted again', async () => {
      const { schema, sync } = await setUp(4)
      await deliverCreated(schema, sync, (key) => (key === '1' ? true : undefined))
      await adapter.run({ sql: `delete from ${schema}.people where id in (1, 2)` })
      await deliver(adapter, schema, sync)
      expect(await tombstones(schema, sync.name)).toEqual([
        ['1', true],
        ['2', null],
      ])
      await insertPeople(adapter, schema, [{ id: 1, email: 'back@example.com', plan: 'free', score: 0 }])
      await deliver(adapter, schema, sync)
      expect(await tombstones(schema, sync.name)).toEqual([['2', null]])
    })

    it('leaves no tombstone when a send withdraws an event intent', async () => {
      const schema = uniqueSchema()
      await migrateState(adapter, schema)
      await ensureSyncTables(adapter, schema, 'events-sync')
      await recordAccepted(adapter, schema, 'events-sync', [{ key: 'e1', hash: null, op: 'upsert' }], 'run-1')
      await applyPending(adapter, schema, 'events-sync', undefined)
      await recordAccepted(adapter, schema, 'events-sync', [{ key: 'e1', hash: null, op: 'delete' }], 'run-1')
      await applyPending(adapter, schema, 'events-sync', 'spec')
      expect(await tombstones(schema, 'events-sync')).toEqual([])
    })

    it('streams synced keys that are not pending with their model values, and removed keys not back in the model', async () => {
      const { schema, sync } = await setUp(5)
      await deliver(adapter, schema, sync)
      await adapter.run({ sql: `delete from ${schema}.people where id in (4, 5)` })
      await deliver(adapter, schema, sync)
      // Pending: 2 changed, 3 gone (the mirror removes it next run); 5 is back in the model.
      await adapter.run({ sql: `update ${schema}.people set plan = 'pro' where id = 2` })
      await adapter.run({ sql: `delete from ${schema}.people where id = 3` })
      await insertPeople(adapter, schema, [{ id: 5, email: 'back@example.com', plan: 'free', score: 5 }])
      await inPlanSession(schema, sync, undefined, async (source) => {
        const synced = await collect(streamSyncedRows(source, 2))
        // Snowflake names unquoted columns in upper case; the plan holds the model's own spelling.
        const email = source.plan.columns.find((c) => c.toLowerCase() === 'email') ?? 'email'
        expect(synced.map((row) => [row.key, row.values?.[email]])).toEqual([['1', 'user1@example.com']])
        expect(await countPending(source)).toBe(2)
        expect((await collect(streamRemovedKeys(source, false, 10))).map((r) => r.key)).toEqual(['4'])
        expect(await collect(streamRemovedKeys(source, true, 10))).toEqual([])
        const [removed] = await collect(streamRemovedKeys(source, false, 10))
        expect(Date.parse(removed?.removedAt ?? '')).not.toBeNaN()
      })
    })

    it('draws a sample of the synced keys at random', async () => {
      const { schema, sync } = await setUp(20)
      await deliver(adapter, schema, sync)
      const sample = await inPlanSession(schema, sync, 3, (source) => collect(streamSyncedRows(source, 100)))
      expect(sample).toHaveLength(3)
      expect(new Set(sample.map((row) => row.key)).size).toBe(3)
      expect(sample.every((row) => row.values !== undefined)).toBe(true)
    })
  })
}
