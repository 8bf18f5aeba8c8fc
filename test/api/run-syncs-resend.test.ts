import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { runSyncs } from 'outflow'
import { startLoopsEmulator, type LoopsEmulator } from 'outflow/emulators'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'

/*
 * `runSyncs({ fullResync })` and `runSyncs({ keys })` as a program calls them, from the package
 * entry, against a Loops emulator and an embedded DuckDB warehouse.
 */

const credentials = { RESEND_API_LOOPS_KEY: 'loops-test-key' }

let loops: LoopsEmulator
let dir: string

beforeAll(async () => {
  loops = await startLoopsEmulator({ rateLimit: false })
})
afterAll(() => loops.stop())
beforeEach(async () => {
  loops.reset()
  dir = await mkdtemp(join(tmpdir(), 'outflow-api-resend-'))
  const doc = (kind: string, name: string, spec: string) =>
    `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`
  await writeFile(
    join(dir, 'specs.yaml'),
    [
      doc('Source', 'warehouse', '{ type: duckdb, path: warehouse.duckdb }'),
      doc('Destination', 'loops', `{ type: loops, baseUrl: '${loops.url}', apiKey: { secret: RESEND_API_LOOPS_KEY } }`),
      doc(
        'Sync',
        'contacts',
        `{ source: warehouse, model: { table: contacts }, destination: loops, object: contact, behavior: upsert,
  key: { column: email, field: email }, mappings: [{ column: first_name, field: firstName }] }`,
      ),
    ].join('---\n'),
  )
  await sqlOnSpecsWarehouse(
    dir,
    `create table contacts as select 'c' || i || '@example.com' as email, 'C' || i as first_name from range(1, 5) t(i)`,
  )
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const writes = () => loops.requests().filter((r) => r.path === '/v1/contacts/update' || r.path === '/v1/contacts/create').length

describe('runSyncs with fullResync and keys', () => {
  it('sends every row again with fullResync, and the rows of keys only with keys', async () => {
    expect((await runSyncs({ fromDir: dir, credentials })).results[0]?.counts.synced).toBe(4)
    const resync = await runSyncs({ fromDir: dir, credentials, fullResync: true })
    expect(resync.results[0]).toMatchObject({ status: 'succeeded', fullResync: true, counts: { changed: 4, synced: 4 } })
    expect(writes()).toBe(8)

    const keyed = await runSyncs({ fromDir: dir, credentials, syncs: ['contacts'], keys: ['c2@example.com', 'nobody@example.com'] })
    expect(keyed.results[0]).toMatchObject({ status: 'succeeded', counts: { changed: 1, synced: 1 }, missingKeys: ['nobody@example.com'] })
    expect(writes()).toBe(9)
  })

  it('rejects keys that do not fit with OPTION_INVALID, before anything runs', async () => {
    await expect(runSyncs({ fromDir: dir, credentials, keys: ['c1@example.com'] })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
      message: 'keys: name exactly one sync, whose keys these are (0 named)',
    })
    await expect(runSyncs({ fromDir: dir, credentials, syncs: ['contacts'], keys: [''] })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
      message: 'keys: a key is empty (or not a string)',
    })
    expect(writes()).toBe(0)
  })
})
