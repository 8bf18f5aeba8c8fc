import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { computeDiff, type ChangeSet } from '../../src/warehouse/diff/compute-diff.js'
import { computePlanDiff } from '../../src/warehouse/diff/compute-plan-diff.js'
import { numberField, textField } from '../../src/warehouse/row-field.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import { readStatePresence } from '../../src/warehouse/state/state-presence.js'
import type { SyncSpec } from '../../src/model/spec-types.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { createPeople, deliver, people, peopleSync, uniqueSchema } from './contract-fixtures.js'
import { WAREHOUSE_TARGETS } from './warehouse-targets.js'

/*
 * What `outflow plan` stands on, on every engine: a model is one statement or nothing of it runs,
 * and a plan's diff reads only, in a session of its own, whether or not the state store exists.
 */

/** Models that smuggle a second statement in, each meant to break out of a different wrapping. */
const smuggled = (schema: string) => [
  `select id, email from ${schema}.people; drop table ${schema}.canary`,
  `select id, email from ${schema}.people) m0) m1; drop table ${schema}.canary; select * from (select * from (select 1 as id, 'a' as email`,
  `select id, email from ${schema}.people) m0; drop table ${schema}.canary; select * from (select 1 as id, 'a' as email`,
]

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(
    `read-only sessions and one-statement models: ${target.skipReason ?? target.name}`,
    () => {
      let adapter: WarehouseAdapter
      beforeAll(async () => {
        adapter = await target.open()
      })
      afterAll(() => adapter.close())

      const sqlSync = (schema: string, sql: string) => peopleSync(schema, { model: { sql }, mappings: [{ column: 'email' }] })

      /** The tables of `schema` with their row counts, as the catalog lists them. */
      async function tablesOf(schema: string): Promise<Record<string, number>> {
        const { rows } = await adapter.run({ sql: adapter.dialect.tablesInSchemaSql(), params: [schema] })
        const names = rows.map((row) => textField(row, 'table_name') ?? '').sort()
        const counted: Record<string, number> = {}
        for (const name of names)
          counted[name] = numberField((await adapter.run({ sql: `select count(*) as n from ${schema}.${name}` })).rows[0] ?? {}, 'n')
        return counted
      }

      function planDiff(stateSchema: string, sync: SyncSpec): Promise<ChangeSet['counts']> {
        return adapter.readOnlySession(
          async (session) => (await computePlanDiff(session, await readStatePresence(session, stateSchema), sync)).counts,
        )
      }

      it('refuses a model of more than one statement, naming the sync and its spec, before any of it runs', async () => {
        const schema = uniqueSchema()
        await createPeople(adapter, schema, people(3))
        await adapter.run({ sql: `create table ${schema}.canary (id ${adapter.dialect.types.integer})` })
        await migrateState(adapter, schema)
        const messages: string[] = []
        for (const sql of smuggled(schema)) {
          const refusal = {
            code: 'MODEL_INVALID',
            message: expect.stringContaining('sync "people-sync" (test.yaml:1): model refused') as unknown,
          }
          await expect(computeDiff(adapter, schema, sqlSync(schema, sql))).rejects.toMatchObject(refusal)
          const error = await planDiff(schema, sqlSync(schema, sql)).catch((e: unknown) => e)
          expect(error).toMatchObject(refusal)
          messages.push((error as Error).message)
        }
        expect(await tablesOf(schema)).toMatchObject({ canary: 0 })
        // Where each statement is valid on its own, the engine's own check is what refuses them.
        const [separate, , brokenOut] = messages
        if (target.name === 'duckdb') expect(separate).toContain("DuckDB's parser found 2")
        if (target.name === 'postgres') expect(brokenOut).toContain('cannot insert multiple commands into a prepared statement')
        if (target.name === 'snowflake') expect(brokenOut).toContain('it holds 3')
      })

      it('reads a model that ends in a comment, a semicolon, or both', async () => {
        const schema = uniqueSchema()
        await createPeople(adapter, schema, people(3))
        await migrateState(adapter, schema)
        const model = `select id, email from ${schema}.people`
        for (const [index, sql] of [
          `${model} -- everyone`,
          `${model};`,
          `${model}; -- everyone\n`,
          `-- everyone\n${model}\n;\n`,
        ].entries()) {
          const sync = { ...sqlSync(schema, sql), name: `people-sync-${index}` }
          expect((await deliver(adapter, schema, sync)).added).toEqual(['1', '2', '3'])
          expect(await planDiff(schema, sync)).toMatchObject({ added: 0, changed: 0 })
        }
      })

      it('plans with no state store as if nothing was synced, and creates none', async () => {
        const schema = uniqueSchema()
        const stateSchema = uniqueSchema()
        await createPeople(adapter, schema, people(4))
        expect(await planDiff(stateSchema, peopleSync(schema))).toEqual({ added: 4, changed: 0, removed: 0, duplicate_key: 0, null_key: 0 })
        expect(await tablesOf(stateSchema)).toEqual({})
        expect(await tablesOf(schema)).toEqual({ people: 4 })
      })

      it('plans against the snapshot of earlier runs without writing to the state store', async () => {
        const schema = uniqueSchema()
        await createPeople(adapter, schema, people(5))
        await migrateState(adapter, schema)
        await deliver(adapter, schema, peopleSync(schema))
        await adapter.run({ sql: `update ${schema}.people set plan = 'pro' where id = 2` })
        await adapter.run({ sql: `delete from ${schema}.people where id in (4, 5)` })
        const before = await tablesOf(schema)
        expect(await planDiff(schema, peopleSync(schema))).toMatchObject({ added: 0, changed: 1, removed: 2 })
        expect(await planDiff(schema, peopleSync(schema, {}, 'new-sync'))).toMatchObject({ added: 3, changed: 0, removed: 0 })
        expect(await tablesOf(schema)).toEqual(before)
      })

      // Only PostgreSQL's session is a transaction, rolled back at its end; elsewhere a plan runs reads and scratch tables only.
      if (target.name === 'postgres') {
        it('rolls back whatever a session ran (PostgreSQL)', async () => {
          const schema = uniqueSchema()
          await createPeople(adapter, schema, people(2))
          await adapter.readOnlySession(async (session) => {
            await session.run({ sql: `delete from ${schema}.people` })
            await session.run({ sql: `create table ${schema}.stray (id integer)` })
          })
          expect(await tablesOf(schema)).toEqual({ people: 2 })
        })
      }
    },
  )
}
