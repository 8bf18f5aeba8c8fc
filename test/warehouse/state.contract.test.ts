import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { MIGRATIONS } from '../../src/warehouse/state/migrations.js'
import { migrateState } from '../../src/warehouse/state/migrate-state.js'
import { clearRejected, listRejected, recordRejected } from '../../src/warehouse/state/rejected-rows.js'
import { readRunResults } from '../../src/warehouse/state/run-results.js'
import { ensureSyncTables, recordAccepted } from '../../src/warehouse/state/snapshot.js'
import { finishRun, listRuns, startRun } from '../../src/warehouse/state/runs.js'
import { listRegisteredSpecs, readRegisteredSpec, registerSpec, unregisterSpec } from '../../src/warehouse/state/spec-registry.js'
import type { DestinationSpec } from '../../src/model/spec-types.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { peopleSync, uniqueSchema } from './contract-fixtures.js'
import { WAREHOUSE_TARGETS } from './warehouse-targets.js'

for (const target of WAREHOUSE_TARGETS) {
  describe.skipIf(target.skipReason !== undefined)(`state contract: ${target.skipReason ?? target.name}`, () => {
    let adapter: WarehouseAdapter
    const schema = uniqueSchema()
    beforeAll(async () => {
      adapter = await target.open()
    })
    afterAll(() => adapter.close())

    it('applies every migration once, however often it is asked to', async () => {
      expect(await migrateState(adapter, schema)).toEqual(MIGRATIONS.map((m) => m.version))
      expect(await migrateState(adapter, schema)).toEqual([])
    })

    it('registers, updates, lists and unregisters specs', async () => {
      const sync = peopleSync('m')
      const destination: DestinationSpec = {
        kind: 'Destination',
        name: 'crm',
        description: undefined,
        labels: {},
        origin: { file: 'destinations.yaml', line: 1 },
        connection: { type: 'courier', authToken: { secret: 'COURIER_AUTH_TOKEN' } },
      }
      await registerSpec(adapter, schema, sync, destination, 'hash-1')
      await registerSpec(adapter, schema, { ...sync, behavior: 'upsert' }, destination, 'hash-2')
      const registered = await readRegisteredSpec(adapter, schema, sync.name)
      expect(registered?.specHash).toBe('hash-2')
      expect(registered?.spec).toEqual({ ...sync, behavior: 'upsert' })
      expect(registered?.destination).toEqual(destination)
      expect(registered?.updatedAt.getTime()).toBeGreaterThanOrEqual(registered?.registeredAt.getTime() ?? Infinity)
      expect((await listRegisteredSpecs(adapter, schema)).map((s) => s.spec.name)).toEqual([sync.name])
      expect(await unregisterSpec(adapter, schema, sync.name)).toBe(true)
      expect(await unregisterSpec(adapter, schema, sync.name)).toBe(false)
      expect(await readRegisteredSpec(adapter, schema, sync.name)).toBeUndefined()
    })

    it('records runs with their counts, newest first', async () => {
      const first = await startRun(adapter, schema, 'runs-sync', 'h', false)
      await finishRun(adapter, schema, first, {
        status: 'succeeded',
        counts: { added: 3, changed: 2, removed: 1, retried: 1, rejected: 0, synced: 6, failed: 0, unknown: 0 },
        effort: { requests: 4, retries: 1, rateLimited: 1, durationMs: 950 },
        diffMs: 12,
        reason: undefined,
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      const second = await startRun(adapter, schema, 'runs-sync', 'h', true)
      await finishRun(adapter, schema, second, {
        status: 'failed',
        counts: { added: 0, changed: 0, removed: 0, retried: 0, rejected: 0, synced: 0, failed: 0, unknown: 2 },
        effort: { requests: 1, retries: 0, rateLimited: 0, durationMs: 40 },
        diffMs: 1,
        reason: 'DESTINATION_AUTH',
      })
      const runs = await listRuns(adapter, schema, 'runs-sync')
      expect(runs.map((r) => [r.runId, r.status, r.fullResync, r.reason])).toEqual([
        [second, 'failed', true, 'DESTINATION_AUTH'],
        [first, 'succeeded', false, undefined],
      ])
      expect(runs[1]).toMatchObject({
        added: 3,
        changed: 2,
        removed: 1,
        retried: 1,
        synced: 6,
        diffMs: 12,
        requests: 4,
        retries: 1,
        rateLimited: 1,
        durationMs: 950,
      })
      expect(runs[0]).toMatchObject({ unknown: 2 })
      expect(runs[1]?.finishedAt).toBeInstanceOf(Date)
    })

    it('counts attempts of rejected rows and forgets them once accepted', async () => {
      await recordRejected(adapter, schema, 'rej-sync', 'run-1', [
        { key: 'a', reason: 'invalid email' },
        { key: 'b', reason: 'duplicate key: 2 rows share it' },
      ])
      await recordRejected(adapter, schema, 'rej-sync', 'run-2', [{ key: 'a', reason: 'email too long' }])
      const rows = await listRejected(adapter, schema, 'rej-sync')
      expect(rows.map((r) => [r.key, r.reason, r.attempts, r.runId]).sort()).toEqual([
        ['a', 'email too long', 2, 'run-2'],
        ['b', 'duplicate key: 2 rows share it', 1, 'run-1'],
      ])
      await clearRejected(adapter, schema, 'rej-sync', ['a'])
      expect((await listRejected(adapter, schema, 'rej-sync')).map((r) => r.key)).toEqual(['b'])
    })

    it("reads what a run recorded for some keys: accepted, an event's intent, or rejected, the log winning", async () => {
      // What a page given again, or the rest of one handed back after a 429, skips.
      await ensureSyncTables(adapter, schema, 'res-sync')
      await recordAccepted(
        adapter,
        schema,
        'res-sync',
        [
          { key: 'ok', hash: '10000000000000000000000000000000', op: 'upsert' },
          { key: 'sent', hash: null, op: 'upsert' },
          { key: "it's; --", hash: '20000000000000000000000000000000', op: 'upsert' },
          { key: 'retaken', hash: '30000000000000000000000000000000', op: 'upsert' },
        ],
        'run-a',
      )
      await recordAccepted(
        adapter,
        schema,
        'res-sync',
        [{ key: 'other-run', hash: '40000000000000000000000000000000', op: 'upsert' }],
        'run-b',
      )
      await recordRejected(adapter, schema, 'res-sync', 'run-a', [
        { key: 'refused', reason: 'invalid email' },
        { key: 'retaken', reason: 'refused on a first try' },
      ])
      const keys = ['ok', 'sent', "it's; --", 'retaken', 'refused', 'other-run', 'absent']
      const found = await readRunResults(adapter, schema, 'res-sync', 'run-a', keys)
      expect(Object.fromEntries([...found].sort())).toEqual({
        "it's; --": 'accepted',
        ok: 'accepted',
        refused: 'rejected',
        retaken: 'accepted',
        sent: 'intent',
      })
    })
  })
}
