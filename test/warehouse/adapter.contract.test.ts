import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { createPeople, people, uniqueSchema } from './contract-fixtures.js'
import { WAREHOUSE_TARGETS } from './warehouse-targets.js'

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(`adapter contract: ${target.skipReason ?? target.name}`, () => {
    let adapter: WarehouseAdapter
    const schema = uniqueSchema()
    beforeAll(async () => {
      adapter = await target.open()
      await createPeople(adapter, schema, people(2500))
    })
    afterAll(() => adapter.close())

    it('runs statements with parameters and reports rows affected', async () => {
      const updated = await adapter.run({ sql: `update ${schema}.people set plan = ? where id <= ?`, params: ['pro', 10] })
      expect(updated.rowsAffected).toBe(10)
      const { rows } = await adapter.run({ sql: `select count(*) as n from ${schema}.people where plan = ?`, params: ['pro'] })
      expect(Number(Object.values(rows[0] ?? {})[0])).toBe(10)
    })

    it('streams a result in batches of the requested size', async () => {
      const sizes: number[] = []
      let ids = 0
      for await (const batch of adapter.stream({ sql: `select id from ${schema}.people` }, 1000)) {
        sizes.push(batch.length)
        ids += batch.length
      }
      expect(sizes).toEqual([1000, 1000, 500])
      expect(ids).toBe(2500)
    })

    it('describes the columns of a query without reading it', async () => {
      const columns = await adapter.describe(`select id, email from ${schema}.people`)
      expect(columns.map((c) => c.name.toLowerCase())).toEqual(['id', 'email'])
    })

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      await adapter.transaction((tx) =>
        tx.run({ sql: `insert into ${schema}.people (id, email, plan, score) values (?, ?, ?, ?)`, params: [9001, 'a@x', 'free', 1] }),
      )
      const failing = adapter.transaction(async (tx) => {
        await tx.run({ sql: `insert into ${schema}.people (id, email, plan, score) values (?, ?, ?, ?)`, params: [9002, 'b@x', 'free', 1] })
        throw new Error('boom')
      })
      await expect(failing).rejects.toThrow('boom')
      const { rows } = await adapter.run({ sql: `select id from ${schema}.people where id > 9000 order by id` })
      expect(rows.map((r) => Number(Object.values(r)[0]))).toEqual([9001])
    })

    it('reports a failing query as WAREHOUSE_QUERY_FAILED naming the source', async () => {
      const error = await adapter.run({ sql: `select no_such_column from ${schema}.people` }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'WAREHOUSE_QUERY_FAILED', retryable: false })
      expect((error as Error).message).toMatch(new RegExp(`^source "${target.name}-test" \\(${target.name}\\): query failed: `))
    })
  })
}
