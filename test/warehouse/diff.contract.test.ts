import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { computeDiff, type ChangeRow } from '../../src/warehouse/diff/compute-diff.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import { applyPending, recordAccepted } from '../../src/warehouse/state/snapshot.js'
import { pickColumns } from '../../src/warehouse/row-field.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { createPeople, deliver, insertPeople, people, peopleSync, uniqueSchema } from './contract-fixtures.js'
import { WAREHOUSE_TARGETS } from './warehouse-targets.js'

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i))

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(`diff contract: ${target.skipReason ?? target.name}`, () => {
    let adapter: WarehouseAdapter
    beforeAll(async () => {
      adapter = await target.open()
    })
    afterAll(() => adapter.close())

    async function freshSchema(count: number): Promise<string> {
      const schema = uniqueSchema()
      await createPeople(adapter, schema, people(count))
      await migrateState(adapter, schema)
      return schema
    }

    it('sends every row on the first run, and nothing when nothing changed', async () => {
      const schema = await freshSchema(250)
      const first = await deliver(adapter, schema, peopleSync(schema))
      expect(first).toMatchObject({ fullResync: false, added: ids(1, 250), changed: [], removed: [], rejected: [] })
      expect(await deliver(adapter, schema, peopleSync(schema))).toMatchObject({ added: [], changed: [], removed: [] })
    })

    it('finds updates, deletes and inserts by key and row hash', async () => {
      const schema = await freshSchema(100)
      await deliver(adapter, schema, peopleSync(schema))
      await adapter.run({ sql: `update ${schema}.people set plan = 'pro' where id in (3, 4)` })
      await adapter.run({ sql: `update ${schema}.people set plan = null where id = 5` })
      await adapter.run({ sql: `delete from ${schema}.people where id in (7, 8, 9)` })
      await insertPeople(adapter, schema, [{ id: 101, email: 'new@example.com', plan: 'team', score: 1 }])
      const run = await deliver(adapter, schema, peopleSync(schema))
      expect(run).toMatchObject({ added: ['101'], changed: ['3', '4', '5'], removed: ['7', '8', '9'], rejected: [] })
      expect(await deliver(adapter, schema, peopleSync(schema))).toMatchObject({ added: [], changed: [], removed: [] })
    })

    it('gives each removed row what the snapshot recorded about its creation', async () => {
      const schema = await freshSchema(4)
      const sync = peopleSync(schema)
      const first = await computeDiff(adapter, schema, sync)
      const rows: ChangeRow[] = []
      for await (const batch of first.rows(10)) rows.push(...batch)
      // An unknown flag first: none of the others may be lost with it.
      const created: [string, boolean | undefined][] = [
        ['4', undefined],
        ['1', true],
        ['2', false],
        ['3', undefined],
      ]
      const accepted = created.map(([key, flag]) => {
        const row = rows.find((candidate) => candidate.key === key)
        return { key, hash: row?.hash ?? null, op: 'upsert' as const, created: flag }
      })
      await recordAccepted(adapter, schema, sync.name, accepted, 'test-run')
      await applyPending(adapter, schema, sync.name, first.specHash)
      await adapter.run({ sql: `delete from ${schema}.people where id in (1, 2, 3)` })
      await adapter.run({ sql: `update ${schema}.people set plan = 'pro' where id = 4` })
      const changes: ChangeRow[] = []
      for await (const batch of (await computeDiff(adapter, schema, sync)).rows(10)) changes.push(...batch)
      expect(Object.fromEntries(changes.map((row) => [row.key, [row.op, row.created]]))).toEqual({
        '1': ['removed', true],
        '2': ['removed', false],
        '3': ['removed', undefined],
        '4': ['changed', undefined],
      })
    })

    it('tells a null from an empty string', async () => {
      const schema = await freshSchema(3)
      await adapter.run({ sql: `update ${schema}.people set plan = '' where id = 1` })
      await deliver(adapter, schema, peopleSync(schema))
      await adapter.run({ sql: `update ${schema}.people set plan = null where id = 1` })
      expect((await deliver(adapter, schema, peopleSync(schema))).changed).toEqual(['1'])
    })

    it('leaves removals out unless the behavior mirrors, and changes out for send', async () => {
      const schema = await freshSchema(10)
      const upsert = peopleSync(schema, { behavior: 'upsert' })
      await deliver(adapter, schema, upsert)
      await adapter.run({ sql: `delete from ${schema}.people where id = 1` })
      await adapter.run({ sql: `update ${schema}.people set plan = 'pro' where id = 2` })
      expect(await deliver(adapter, schema, upsert)).toMatchObject({ added: [], changed: ['2'], removed: [] })

      const send = peopleSync(schema, { behavior: 'send', object: 'user' }, 'events-sync')
      expect((await deliver(adapter, schema, send)).added).toHaveLength(9)
      await adapter.run({ sql: `update ${schema}.people set plan = 'team' where id = 3` })
      await insertPeople(adapter, schema, [{ id: 11, email: 'e@x', plan: 'free', score: 0 }])
      expect(await deliver(adapter, schema, send)).toMatchObject({ added: ['11'], changed: [], removed: [] })
    })

    it('rejects null and duplicate keys in SQL, never sends them, and never removes a duplicated key', async () => {
      const schema = await freshSchema(5)
      await deliver(adapter, schema, peopleSync(schema))
      await insertPeople(adapter, schema, [
        { id: null, email: 'nokey1@x', plan: 'free', score: 0 },
        { id: null, email: 'nokey2@x', plan: 'free', score: 0 },
        { id: 2, email: 'dup@x', plan: 'free', score: 0 },
        { id: 6, email: 'six@x', plan: 'free', score: 0 },
        { id: 6, email: 'six-again@x', plan: 'free', score: 0 },
      ])
      const run = await deliver(adapter, schema, peopleSync(schema))
      expect(run).toMatchObject({ added: [], changed: [], removed: [] })
      expect(run.rejected.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
        { key: '', reason: '2 rows have a null key' },
        { key: '2', reason: 'duplicate key: 2 rows share it' },
        { key: '6', reason: 'duplicate key: 2 rows share it' },
      ])
      const counts = (await computeDiff(adapter, schema, peopleSync(schema))).counts
      expect(counts).toEqual({ added: 0, changed: 0, removed: 0, duplicate_key: 2, null_key: 1 })
    })

    it('reads a first sync from the model as it is delivered: the same rows, hashes, counts and rejections as the table', async () => {
      const schema = await freshSchema(40)
      await insertPeople(adapter, schema, [
        { id: null, email: 'nokey@x', plan: 'free', score: 0 },
        { id: 7, email: 'seven-again@x', plan: 'free', score: 0 },
      ])
      const sync = peopleSync(schema)
      const read = async (streamed: boolean) => {
        const changes = await computeDiff(adapter, schema, sync, undefined, { streamed })
        const rows: Pick<ChangeRow, 'op' | 'key' | 'hash' | 'values'>[] = []
        // The values a mapping reads: a streamed row may hold other columns too.
        const mapped = (values: ChangeRow['values']) => pickColumns(values, changes.plan.columns)
        for await (const batch of changes.rows(16))
          for (const { op, key, hash, values } of batch) rows.push({ op, key, hash, values: mapped(values) })
        const rejected = []
        for await (const batch of changes.rejections(16)) rejected.push(...batch)
        rows.sort((a, b) => Number(a.key) - Number(b.key))
        rejected.sort((a, b) => a.key.localeCompare(b.key))
        return { streamed: changes.table === undefined, counts: changes.counts, rejectedRows: changes.rejectedRows, rows, rejected }
      }
      const tabled = await read(false)
      const streamed = await read(true)
      expect(tabled.streamed).toBe(false)
      expect(streamed.streamed).toBe(true)
      expect(streamed.counts).toEqual({ added: 39, changed: 0, removed: 0, duplicate_key: 1, null_key: 1 })
      expect({ ...streamed, streamed: false }).toEqual(tabled)
      // What a streamed first sync records is what the next diff compares against: nothing changed.
      await deliver(adapter, schema, sync, { streamed: true })
      expect(await deliver(adapter, schema, sync, { streamed: true })).toMatchObject({ added: [], changed: [], removed: [] })
    })

    it('forces a full resync when what is sent changes, and says so', async () => {
      const schema = await freshSchema(20)
      await deliver(adapter, schema, peopleSync(schema))
      const renamed = peopleSync(schema, {
        mappings: [{ column: 'email' }, { column: 'plan', field: 'tier' }, { column: 'score', type: 'number' }],
      })
      const run = await deliver(adapter, schema, renamed)
      expect(run).toMatchObject({ fullResync: true, added: [], changed: ids(1, 20), removed: [] })
      expect(await deliver(adapter, schema, renamed)).toMatchObject({ fullResync: false, changed: [] })
      // A schedule change sends nothing: it is not part of what is synced.
      expect(await deliver(adapter, schema, { ...renamed, schedule: { kind: 'interval', interval: '1h', seconds: 3600 } })).toMatchObject({
        changed: [],
      })
    })

    it('re-sends rows whose acceptance was never recorded, and none that was (crash mid-run)', async () => {
      const schema = await freshSchema(300)
      const sync = peopleSync(schema)
      // The destination accepted ids up to 120, and the runner died before merging its log.
      const crashed = await deliver(adapter, schema, sync, { accept: (key) => Number(key) <= 120, crashBeforeMerge: true })
      expect(crashed.added).toHaveLength(300)
      const resumed = await deliver(adapter, schema, sync)
      expect(resumed.added).toEqual(ids(121, 300))
      expect(await deliver(adapter, schema, sync)).toMatchObject({ added: [], changed: [], removed: [] })
    })

    it('names the sync and the missing column when the model lacks a mapped column', async () => {
      const schema = await freshSchema(1)
      const sync = peopleSync(schema, { mappings: [{ column: 'emial' }] })
      await expect(computeDiff(adapter, schema, sync)).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        message: expect.stringMatching(
          /^sync "people-sync": mapped column "emial" is not in the model \(did you mean "email"\?\)/i,
        ) as unknown,
      })
    })

    it('reads only the mapped columns, and all but the excluded ones with allColumns', async () => {
      const schema = await freshSchema(2)
      const changes = await computeDiff(adapter, schema, peopleSync(schema, { mappings: [{ allColumns: true, except: ['score'] }] }))
      const rows = []
      for await (const batch of changes.rows(10)) rows.push(...batch)
      expect(Object.keys(rows[0]?.values ?? {}).map((c) => c.toLowerCase())).toEqual(['email', 'plan'])
      expect(rows.map((r) => r.values).find((v) => Object.values(v).includes('user1@example.com'))).toBeDefined()
    })
  })
}
