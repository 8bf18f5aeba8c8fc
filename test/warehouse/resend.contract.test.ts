import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { computePlanDiff } from '../../src/warehouse/diff/compute-plan-diff.js'
import { textField } from '../../src/warehouse/row-field.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import { readStatePresence } from '../../src/warehouse/state/state-presence.js'
import { syncTables } from '../../src/warehouse/state/state-tables.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { createPeople, deliver, people, peopleSync, uniqueSchema } from './contract-fixtures.js'
import { WAREHOUSE_TARGETS } from './warehouse-targets.js'

/*
 * Sending rows again whatever the snapshot holds, on every engine: a full resync (every row of
 * the model) and a resend of some keys (their rows only, keys bound as values), with what the
 * snapshot records so that a run that stops halfway leaves the rest to the next run.
 */

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i))

/** Keys that would break a statement they were pasted into. */
const HOSTILE_KEYS = [`o'brien`, `x'); drop table people; --`, `semi;colon`, `"double"`, `back\\slash`, `?`]

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(`resend contract: ${target.skipReason ?? target.name}`, () => {
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

    it('sends every row again on a full resync, removes only what mirror removes anyway, then nothing', async () => {
      const schema = await freshSchema(30)
      const mirror = peopleSync(schema)
      await deliver(adapter, schema, mirror)
      await adapter.run({ sql: `delete from ${schema}.people where id in (29, 30)` })
      const resync = await deliver(adapter, schema, mirror, { resend: { kind: 'all' } })
      expect(resync).toMatchObject({ fullResync: true, added: [], changed: ids(1, 28), removed: ['29', '30'], missingKeys: [] })
      expect(await deliver(adapter, schema, mirror)).toMatchObject({ fullResync: false, added: [], changed: [], removed: [] })

      const upsert = peopleSync(schema, { behavior: 'upsert' }, 'upsert-sync')
      await deliver(adapter, schema, upsert)
      await adapter.run({ sql: `delete from ${schema}.people where id = 28` })
      expect(await deliver(adapter, schema, upsert, { resend: { kind: 'all' } })).toMatchObject({ changed: ids(1, 27), removed: [] })
    })

    it('leaves the rest of a full resync to the next run when it stops halfway', async () => {
      const schema = await freshSchema(200)
      const sync = peopleSync(schema)
      await deliver(adapter, schema, sync)
      // The destination accepted ids up to 80 of the resync, and the runner died before merging.
      const crashed = await deliver(adapter, schema, sync, {
        resend: { kind: 'all' },
        accept: (key) => Number(key) <= 80,
        crashBeforeMerge: true,
      })
      expect(crashed.changed).toEqual(ids(1, 200))
      expect(await deliver(adapter, schema, sync)).toMatchObject({ added: [], changed: ids(81, 200), removed: [] })
      expect(await deliver(adapter, schema, sync)).toMatchObject({ added: [], changed: [], removed: [] })
    })

    it('sends only the rows of the keys given, changed or not, never removes, and names the keys without a row', async () => {
      const schema = await freshSchema(20)
      const sync = peopleSync(schema)
      await deliver(adapter, schema, sync)
      await adapter.run({ sql: `update ${schema}.people set plan = 'pro' where id in (3, 5)` })
      await adapter.run({ sql: `delete from ${schema}.people where id = 9` })
      const keyed = await deliver(adapter, schema, sync, { resend: { kind: 'keys', keys: ['3', '7', '9', '404'] } })
      expect(keyed).toMatchObject({ fullResync: false, added: [], changed: ['3', '7'], removed: [], missingKeys: ['404', '9'] })
      // The other rows' state is untouched: the next run sends the other change and the removal.
      expect(await deliver(adapter, schema, sync)).toMatchObject({ added: [], changed: ['5'], removed: ['9'] })
    })

    it('sends the keys of a sync that never ran as new rows', async () => {
      const schema = await freshSchema(10)
      const keyed = await deliver(adapter, schema, peopleSync(schema), { resend: { kind: 'keys', keys: ['2', '4'] } })
      expect(keyed).toMatchObject({ added: ['2', '4'], changed: [], missingKeys: [] })
      expect((await deliver(adapter, schema, peopleSync(schema))).added).toEqual(['1', '3', ...ids(5, 10)])
    })

    it('binds keys as values: quotes, semicolons and placeholders match their rows and run nothing', async () => {
      const schema = uniqueSchema()
      await adapter.run({ sql: `create schema if not exists ${schema}` })
      await adapter.run({ sql: `create table ${schema}.odd (id ${adapter.dialect.types.text}, email ${adapter.dialect.types.text})` })
      const keys = [...HOSTILE_KEYS, 'plain']
      await adapter.run({
        sql: `insert into ${schema}.odd (id, email) values ${keys.map(() => '(?, ?)').join(', ')}`,
        params: keys.flatMap((key, i) => [key, `odd${String(i)}@example.com`]),
      })
      await createPeople(adapter, schema, people(1))
      await migrateState(adapter, schema)
      const sync = peopleSync(schema, { model: { table: `${schema}.odd` }, mappings: [{ column: 'email' }] }, 'odd-sync')
      await deliver(adapter, schema, sync)
      const keyed = await deliver(adapter, schema, sync, { resend: { kind: 'keys', keys: [...HOSTILE_KEYS, `o'brien' or '1'='1`] } })
      expect([...keyed.changed].sort()).toEqual([...HOSTILE_KEYS].sort())
      expect(keyed.missingKeys).toEqual([`o'brien' or '1'='1`])
      const { rows } = await adapter.run({ sql: `select count(*) as n from ${schema}.people` })
      expect(Number(textField(rows[0] ?? {}, 'n'))).toBe(1)
    })

    it('plans a resend in a read-only session as the run sends it, and writes nothing', async () => {
      const schema = await freshSchema(12)
      const sync = peopleSync(schema)
      await deliver(adapter, schema, sync)
      await adapter.run({ sql: `delete from ${schema}.people where id = 12` })
      const snapshot = async () => {
        const { rows } = await adapter.run({
          sql: `select row_key, ${adapter.dialect.hashToText('row_hash')} as h from ${syncTables(adapter.dialect, schema, sync.name).snapshot} order by row_key`,
        })
        return rows.map((row) => `${textField(row, 'row_key') ?? ''}=${textField(row, 'h') ?? ''}`)
      }
      const before = await snapshot()
      const planned = await adapter.readOnlySession(async (session) => {
        const state = await readStatePresence(session, schema)
        const all = await computePlanDiff(session, state, sync, { kind: 'all' })
        const keyed = await computePlanDiff(session, state, sync, { kind: 'keys', keys: ['1', '12', 'x'] })
        return { all: all.counts, allFull: all.fullResync, keyed: keyed.counts, missing: keyed.missingKeys }
      })
      expect(planned).toMatchObject({
        all: { added: 0, changed: 11, removed: 1 },
        allFull: true,
        keyed: { added: 0, changed: 1, removed: 0 },
        missing: ['12', 'x'],
      })
      expect(await snapshot()).toEqual(before)
    })
  })
}
