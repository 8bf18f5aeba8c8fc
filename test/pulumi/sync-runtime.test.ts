import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  checkSync,
  createSync,
  deleteSync,
  diffSync,
  readSync,
  updateSync,
  UNKNOWN_VALUE,
  type SyncInputs,
  type SyncOutputs,
} from '../../src/pulumi/runtime/index.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import type { SourceSpec, SpecSet, SyncSpec } from '../../src/model/spec-types.js'
import { openWarehouse } from '../../src/warehouse/open-warehouse.js'
import { listRegisteredSpecs, registerSpec, type RegisteredSpec } from '../../src/warehouse/state/spec-registry.js'
import { EXAMPLE_SYNCS } from './helpers/example-project.js'

let specs: SpecSet
let dir: string
let databases = 0

beforeAll(async () => {
  specs = await loadValidSpecs(EXAMPLE_SYNCS)
  dir = await mkdtemp(join(tmpdir(), 'outflow-sync-runtime-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** The example source, on a DuckDB file of its own so that each test starts from an empty state store. */
function freshSource(stateSchema = 'outflow'): SourceSpec {
  const source = specs.sources[0]!
  return { ...source, connection: { type: 'duckdb', path: join(dir, `w${++databases}.duckdb`), stateSchema } }
}

function syncSpec(name: string): SyncSpec {
  const found = specs.syncs.find((s) => s.name === name)
  if (found === undefined) throw new Error(`no sync ${name}`)
  return found
}

/** The inputs the program gives the sync `name`, as `check` returns them. */
function syncInputs(name: string, source: SourceSpec, change: Partial<SyncSpec> = {}): SyncInputs {
  const sync = { ...syncSpec(name), ...change }
  const destination = specs.destinations.find((d) => d.name === sync.destination)!
  const checked = checkSync({}, { sync, destination, source, credentials: {}, connectionId: sync.destination })
  expect(checked.failures).toEqual([])
  return checked.inputs!
}

async function registered(source: SourceSpec): Promise<RegisteredSpec[]> {
  const warehouse = await openWarehouse(source)
  try {
    return await listRegisteredSpecs(warehouse, source.connection.stateSchema)
  } finally {
    await warehouse.close()
  }
}

async function createdSync(inputs: SyncInputs): Promise<SyncOutputs> {
  const result = await createSync(inputs)
  expect(result.id).toBe(inputs.sync.name)
  return result.outs!
}

describe('Sync runtime: create, read, update, delete', () => {
  it('registers the spec, its destination and its hash in the state store of its source', async () => {
    const source = freshSource()
    const outs = await createdSync(syncInputs('loops-contacts', source))
    expect(outs.specHash).toBe(syncSpecHash(syncSpec('loops-contacts')))
    const [registration] = await registered(source)
    expect(registration).toMatchObject({ specHash: outs.specHash, spec: outs.sync, destination: outs.destination })
    expect(registration?.destination.name).toBe('loops')
  })

  it('reads the registration back: a spec changed there is drift, a removed one is gone', async () => {
    const source = freshSource()
    const inputs = syncInputs('courier-profiles', source)
    const outs = await createdSync(inputs)
    const read = await readSync('courier-profiles', outs)
    expect(read).toEqual({ id: 'courier-profiles', props: outs, inputs: outs })
    expect(diffSync('courier-profiles', read.props!, inputs).changes).toBe(false)

    const warehouse = await openWarehouse(source)
    const edited = { ...outs.sync, schedule: { kind: 'manual' as const } }
    await registerSpec(warehouse, 'outflow', edited, outs.destination, 'edited-by-hand')
    await warehouse.close()
    const drifted = await readSync('courier-profiles', outs)
    expect(drifted.props).toMatchObject({ sync: { schedule: { kind: 'manual' } }, specHash: 'edited-by-hand' })
    expect(diffSync('courier-profiles', drifted.props!, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false })

    await deleteSync('courier-profiles', outs)
    expect(await readSync('courier-profiles', outs)).toEqual({})
  })

  it('registers a new spec on update: a new mapping changes specHash (a full resync), a new description does not', async () => {
    const source = freshSource()
    const outs = await createdSync(syncInputs('braze-users', source))
    const described = syncInputs('braze-users', source, { description: 'Now with a better description' })
    expect(described.specHash).toBe(outs.specHash)
    expect(diffSync('braze-users', outs, described)).toMatchObject({ changes: true, replaces: [] })

    const mappings = [
      ...syncSpec('braze-users').mappings,
      { kind: 'constant' as const, value: 'outflow', field: 'source', type: undefined },
    ]
    const remapped = syncInputs('braze-users', source, { mappings })
    expect(remapped.specHash).not.toBe(outs.specHash)
    expect(diffSync('braze-users', outs, remapped)).toMatchObject({ changes: true, replaces: [] })
    const updated = await updateSync('braze-users', outs, remapped)
    expect(updated.outs?.specHash).toBe(remapped.specHash)
    expect((await registered(source)).map((r) => r.specHash)).toEqual([remapped.specHash])
  })

  it('moves the registration when the state store moves, so the runner there stops', async () => {
    const from = freshSource()
    const to = freshSource('outflow_state')
    const outs = await createdSync(syncInputs('clevertap-events', from))
    const moved = syncInputs('clevertap-events', to)
    expect(diffSync('clevertap-events', outs, moved)).toMatchObject({ changes: true, replaces: [] })
    await updateSync('clevertap-events', outs, moved)
    expect(await registered(from)).toEqual([])
    expect((await registered(to)).map((r) => r.spec.name)).toEqual(['clevertap-events'])
  })

  it('unregisters on delete, as often as asked, leaving other syncs registered', async () => {
    const source = freshSource()
    const outs = await createdSync(syncInputs('braze-events', source))
    await createdSync(syncInputs('braze-users', source))
    await deleteSync('braze-events', outs)
    await deleteSync('braze-events', outs)
    expect((await registered(source)).map((r) => r.spec.name)).toEqual(['braze-users'])
  })

  it('registers every example sync at once on a fresh warehouse, as `pulumi up` creates them in parallel', async () => {
    const source = freshSource()
    await Promise.all(specs.syncs.map((sync) => createSync(syncInputs(sync.name, source))))
    expect((await registered(source)).map((r) => r.spec.name)).toEqual(specs.syncs.map((s) => s.name).sort())
  })

  it('names the sync when the state store cannot be reached, and never the password', async () => {
    const password = 'planted-pg-password-0c1e'
    const source: SourceSpec = { ...specs.sources[0]!, connection: { type: 'postgres', url: { secret: 'PG_URL' }, stateSchema: 'outflow' } }
    const inputs = { ...syncInputs('courier-profiles', source), credentials: { PG_URL: `postgres://outflow:${password}@127.0.0.1:1/db` } }
    const error = await createSync(inputs).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WAREHOUSE_CONNECTION_FAILED' })
    expect((error as Error).message).toMatch(/^sync "courier-profiles": source "warehouse"/)
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(password)
  })
})

describe('Sync runtime: diff', () => {
  const outs = (): SyncOutputs => syncInputs('courier-newsletter', freshSource())

  it('sees no change for the same inputs, new provider code, or specs moved in their files', () => {
    const old = outs()
    const news = { ...old, __provider: 'new code' } as SyncInputs
    expect(diffSync('courier-newsletter', { ...old, __provider: 'old code' } as SyncOutputs, news).changes).toBe(false)
    const moved = { ...old, sync: { ...old.sync, origin: { file: 'other.yaml', line: 9 } } }
    expect(diffSync('courier-newsletter', old, moved).changes).toBe(false)
  })

  it('replaces, deleting first, when the destination, object, key or name changes', () => {
    const old = outs()
    const replaced = (change: Partial<SyncSpec>) => diffSync('courier-newsletter', old, { ...old, sync: { ...old.sync, ...change } })
    expect(replaced({ destination: 'courier-eu' })).toEqual({ changes: true, replaces: ['sync.destination'], deleteBeforeReplace: true })
    expect(replaced({ object: 'profile' }).replaces).toEqual(['sync.object'])
    expect(replaced({ key: { column: 'email', field: 'recipient_id' } }).replaces).toEqual(['sync.key'])
    expect(replaced({ name: 'newsletter' }).replaces).toEqual(['sync.name'])
    expect(replaced({ behavior: 'upsert' })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false })
  })

  it('sees a change for new credentials or a new connection', () => {
    const old = outs()
    expect(diffSync('courier-newsletter', old, { ...old, credentials: { PG_PASSWORD: 'rotated' } }).changes).toBe(true)
    expect(diffSync('courier-newsletter', old, { ...old, connectionId: 'courier-2' }).changes).toBe(true)
  })

  it("updates in place, with the same specHash (no full resync), when the destination's maxRequestsPerSecond changes", () => {
    const old = outs()
    const connection = { ...old.destination.connection, maxRequestsPerSecond: 5 }
    const capped = checkSync({}, { ...old, destination: { ...old.destination, connection } })
    expect(capped.failures).toEqual([])
    expect(capped.inputs?.specHash).toBe(old.specHash)
    expect(diffSync('courier-newsletter', old, capped.inputs!)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false })
  })

  it('sees values not known yet in a preview as a change, replacing only for an unknown identity', () => {
    const old = outs()
    expect(diffSync('courier-newsletter', old, { ...old, connectionId: UNKNOWN_VALUE })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    })
    const unknownObject = { ...old, sync: { ...old.sync, object: UNKNOWN_VALUE } }
    expect(diffSync('courier-newsletter', old, unknownObject).replaces).toEqual(['sync.object'])
  })
})

describe('Sync runtime: check', () => {
  it('computes specHash from the sync, whatever the program passed', () => {
    const inputs = syncInputs('loops-contacts', freshSource())
    const result = checkSync({}, { ...inputs, specHash: 'stale' })
    expect(result).toEqual({ inputs: { ...inputs, specHash: syncSpecHash(syncSpec('loops-contacts')) }, failures: [] })
  })

  it('names a destination or source other than the sync names, and a source without a state schema', () => {
    const inputs = syncInputs('loops-contacts', freshSource())
    const braze = specs.destinations.find((d) => d.name === 'braze')!
    const source = { ...inputs.source, name: 'lake', connection: { type: 'duckdb' } }
    const result = checkSync({}, { ...inputs, destination: braze, source })
    expect(result.failures).toEqual([
      { property: 'destination', reason: 'sync "loops-contacts" names destination "loops", but the destination given is "braze"' },
      { property: 'source', reason: 'sync "loops-contacts" names source "warehouse", but the source given is "lake"' },
      { property: 'source', reason: 'source "lake": expected a connection with its stateSchema (loadValidSpecs applies the default)' },
    ])
    expect(checkSync({}, { ...inputs, sync: { name: 'x' } }).failures).toEqual([
      { property: 'sync', reason: 'expected a Sync spec (an object with kind "Sync" and a name), as loadValidSpecs returns it' },
    ])
  })

  it('lets values not known yet through, with an unknown hash when the sync is unknown', () => {
    const inputs = syncInputs('loops-contacts', freshSource())
    expect(checkSync({}, { ...inputs, connectionId: UNKNOWN_VALUE }).failures).toEqual([])
    expect(checkSync({}, { ...inputs, sync: UNKNOWN_VALUE }).inputs?.specHash).toBe(UNKNOWN_VALUE)
  })
})
