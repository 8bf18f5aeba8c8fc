import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { UNKNOWN_VALUE, type SyncOutputs } from '../../src/pulumi/runtime/index.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import type { SourceSpec } from '../../src/model/spec-types.js'
import {
  EMULATOR_SECRETS,
  removeProject,
  startEmulators,
  stopEmulators,
  writeExampleProject,
  type Emulators,
} from './helpers/example-project.js'
import { FakeEngine, unwrapSecrets, type Steps } from './helpers/fake-engine.js'
import { PROJECT, runProgram, secretValue, type DeclaredResource } from './helpers/mock-program.js'
import { HostCallError, startProviderHost } from './helpers/provider-host.js'
import { stateStoreOf } from './helpers/state-store-client.js'

/*
 * The serialized providers, exactly as `pulumi up` would store them (taken from the program run
 * under mocks), driven through the real dynamic-provider host in engine-style sequences. The host
 * runs in the project root, so `outflow/pulumi-runtime` resolves to the built runtime, as it does
 * in a user's project. The tests of the second describe run in order: each command starts from
 * the state the previous one left.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LOOPS_KEY = 'planted-loops-key-9f27c4d1'
const SECRETS: Readonly<Record<string, string>> = { ...EMULATOR_SECRETS, LOOPS_API_KEY: LOOPS_KEY }
const CONFIG = Object.fromEntries(Object.entries(SECRETS).map(([name, value]) => [`${PROJECT}:${name}`, value]))

let emulators: Emulators
let dir: string
let source: SourceSpec

beforeAll(async () => {
  emulators = await startEmulators([LOOPS_KEY])
  dir = await writeExampleProject(emulators)
  source = (await loadValidSpecs(dir)).sources[0]!
})
afterAll(async () => {
  await stopEmulators(emulators)
  await removeProject(dir)
})

async function program(secrets = SECRETS): Promise<DeclaredResource[]> {
  return (await runProgram(dir, secrets)).resources
}

async function editSpec(file: string, edit: (text: string) => string): Promise<void> {
  const path = join(dir, file)
  await writeFile(path, edit(await readFile(path, 'utf8')))
}

const all = (names: readonly string[], step: string): Steps => Object.fromEntries(names.map((name) => [name, step]))
const CONNECTIONS = ['loops', 'braze', 'clevertap', 'courier']
const SYNCS = [
  'braze-events',
  'braze-users',
  'clevertap-events',
  'clevertap-profiles',
  'courier-newsletter',
  'courier-profiles',
  'loops-contacts',
]

describe('providers in the host: a stack from first up to destroy', () => {
  const engine = new FakeEngine(ROOT, CONFIG)
  let first: DeclaredResource[]

  beforeAll(async () => {
    first = await program()
  })

  it('first up: checks each connection and prepares its destination, then registers each sync', async () => {
    expect(await engine.up(first)).toEqual({ ...all(CONNECTIONS, 'create'), ...all(SYNCS, 'create') })
    expect(engine.state.get('loops')?.outputs).toMatchObject({ verified: true, status: 'Loops team "Outflow Emulator"' })
    expect(engine.state.get('courier')?.outputs['prepared']).toEqual(['list:newsletter.weekly'])
    expect(emulators.courier.state().lists.map((l) => l.id)).toEqual(['newsletter.weekly'])
    expect(emulators.loops.state().customProperties.map((p) => p.key)).toEqual(
      expect.arrayContaining(['plan', 'signedUpAt', 'lifetimeValue']),
    )
    const registered = await stateStoreOf(source).list()
    expect(registered.map((r) => r.spec.name)).toEqual(SYNCS)
    for (const registration of registered) expect(registration.specHash).toBe(engine.state.get(registration.spec.name)?.outputs['specHash'])
    // The stored provider is the program's: refresh and destroy will run it.
    expect(engine.state.get('loops-contacts')?.outputs['__provider']).toBe(
      first.find((r) => r.name === 'loops-contacts')?.inputs['__provider'],
    )
  })

  it('no-op up: nothing changes, even with the provider text of a newer release', async () => {
    expect(await engine.up(first)).toEqual(all([...CONNECTIONS, ...SYNCS], 'same'))
    const newer = first.map((r) => ({
      ...r,
      inputs: { ...r.inputs, __provider: `${String(r.inputs['__provider'])}\n// a newer release\n` },
    }))
    expect(await engine.up(newer)).toEqual(all([...CONNECTIONS, ...SYNCS], 'same'))
  })

  it('update: a new mapping re-registers the sync with a new specHash and prepares the new field; a new description keeps the hash', async () => {
    const hashes = (name: string) => engine.state.get(name)?.outputs['specHash']
    const before = { loops: hashes('loops-contacts'), braze: hashes('braze-users') }
    await editSpec('loops-contacts.yaml', (text) =>
      text.replace('    - { column: plan, field: plan }', '    - { column: plan, field: plan }\n    - { column: country, field: country }'),
    )
    await editSpec('braze-users.yaml', (text) => text.replace('description: User profiles', 'description: Braze user profiles'))
    const steps = await engine.up(await program())
    expect(steps).toEqual({
      ...all([...CONNECTIONS, ...SYNCS], 'same'),
      loops: 'update',
      'loops-contacts': 'update',
      'braze-users': 'update',
    })
    expect(hashes('loops-contacts')).not.toBe(before.loops)
    expect(hashes('braze-users')).toBe(before.braze)
    expect(emulators.loops.state().customProperties.map((p) => p.key)).toContain('country')
    const registered = await stateStoreOf(source).list()
    expect(registered.find((r) => r.spec.name === 'loops-contacts')?.specHash).toBe(hashes('loops-contacts'))
    expect(registered.find((r) => r.spec.name === 'braze-users')?.spec.description).toBe(
      'Braze user profiles with plan and lifetime value as custom attributes.',
    )
  })

  it('replace: a sync keyed by another column is replaced, its old registration deleted first', async () => {
    await editSpec('courier-profiles.yaml', (text) =>
      text.replace('key: { column: user_id, field: recipient_id }', 'key: { column: email, field: recipient_id }'),
    )
    engine.calls.length = 0
    const steps = await engine.up(await program())
    expect(steps).toEqual({ ...all([...CONNECTIONS, ...SYNCS], 'same'), 'courier-profiles': 'replace' })
    expect(engine.calls).toEqual(['delete courier-profiles', 'create courier-profiles'])
    const registered = await stateStoreOf(source).list()
    expect(registered.find((r) => r.spec.name === 'courier-profiles')?.spec.key).toEqual({ column: 'email', field: 'recipient_id' })
  })

  it('drift check: a spec edited or removed in the state store and a list deleted at Courier show up, nothing else', async () => {
    const edited = engine.state.get('braze-events')!.outputs as unknown as SyncOutputs
    await stateStoreOf(source).register({ ...edited.sync, backfill: true }, edited.destination, 'edited-by-hand')
    await stateStoreOf(source).unregister('clevertap-profiles')
    const deleted = await fetch(`${emulators.courier.url}/lists/newsletter.weekly`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRETS['COURIER_AUTH_TOKEN']!}` },
    })
    expect(deleted.ok).toBe(true)
    const current = await program()
    expect(await engine.previewRefresh(current)).toEqual({
      ...all([...CONNECTIONS, ...SYNCS], 'same'),
      'braze-events': 'update',
      'clevertap-profiles': 'create',
      courier: 'update',
    })
  })

  it('refresh: records the drift in state, and the next up repairs it', async () => {
    expect(await engine.refresh()).toEqual({
      ...all([...CONNECTIONS, ...SYNCS], 'same'),
      'braze-events': 'drift',
      'clevertap-profiles': 'gone',
      courier: 'drift',
    })
    expect(engine.state.get('courier')?.outputs['missing']).toEqual(['list:newsletter.weekly'])
    expect(engine.state.get('braze-events')?.inputs['specHash']).toBe('edited-by-hand')
    expect(await engine.up(await program())).toEqual({
      ...all([...CONNECTIONS, ...SYNCS], 'same'),
      'braze-events': 'update',
      'clevertap-profiles': 'create',
      courier: 'update',
    })
    expect(emulators.courier.state().lists.find((l) => l.id === 'newsletter.weekly')?.deleted).toBe(false)
    const registered = await stateStoreOf(source).list()
    expect(registered.map((r) => r.spec.name)).toEqual(SYNCS)
    expect(registered.find((r) => r.spec.name === 'braze-events')?.spec.backfill).toBe(false)
  })

  it('keeps every credential out of outputs (but the secret credentials one), the provider text, the state store and the logs', async () => {
    const secrets = Object.values(SECRETS)
    for (const resource of first) {
      // Pulumi keeps an output secret when an input of the same name is: `credentials` is the only one.
      expect(Object.keys(resource.inputs).filter((key) => secretValue(resource.inputs[key]) !== undefined)).toEqual(['credentials'])
      for (const secret of secrets) expect(resource.inputs['__provider']).not.toContain(secret)
    }
    for (const entry of engine.state.values()) {
      const outputs = Object.entries(entry.outputs).filter(([key]) => key !== 'credentials')
      for (const secret of secrets) expect(JSON.stringify(outputs)).not.toContain(secret)
    }
    const stored = await stateStoreOf(source).dump()
    expect(stored).toContain('loops-contacts')
    for (const secret of secrets) {
      expect(stored).not.toContain(secret)
      expect(engine.hostOutput).not.toContain(secret)
    }
  })

  it('destroy: runs the stored providers, unregisters every sync and leaves the destinations as they are', async () => {
    expect(await engine.destroy()).toEqual(all([...CONNECTIONS, ...SYNCS], 'delete'))
    expect(await stateStoreOf(source).list()).toEqual([])
    expect(emulators.courier.state().lists.map((l) => l.id)).toEqual(['newsletter.weekly'])
    expect(emulators.loops.state().customProperties.map((p) => p.key)).toContain('country')
  })
})

describe('providers in the host: failures and previews', () => {
  it('fails pulumi up for a wrong API key with a clear message that never contains the key', async () => {
    const wrong = 'planted-wrong-key-41b0e2'
    const engine = new FakeEngine(ROOT, CONFIG)
    const resources = (await program({ ...SECRETS, LOOPS_API_KEY: wrong })).filter((r) => r.name === 'loops')
    const error = await engine.up(resources).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HostCallError)
    expect(error).toMatchObject({
      code: 2,
      details: 'destination "loops": Loops refused the API key (HTTP 401, GET /v1/api-key); check Pulumi config secret LOOPS_API_KEY',
    })
    expect(engine.hostOutput).not.toContain(wrong)
    expect(engine.state.size).toBe(0)
  })

  it('check and diff take values not known yet in a preview, and check failures name the property', async () => {
    const resources = await program()
    const sync = resources.find((r) => r.name === 'courier-newsletter')!
    const ref = { type: sync.type, name: sync.name }
    const host = await startProviderHost(ROOT)
    try {
      await host.configure(CONFIG)
      const inputs = unwrapSecrets(sync.inputs)
      const unknown = await host.check(ref, {}, { ...inputs, connectionId: UNKNOWN_VALUE })
      expect(unknown.failures).toEqual([])
      expect(unknown.inputs['connectionId']).toBe(UNKNOWN_VALUE)
      const checked = (await host.check(ref, {}, inputs)).inputs
      expect(await host.diff(ref, 'courier-newsletter', checked, unknown.inputs, checked)).toEqual({
        changes: 'some',
        replaces: [],
        deleteBeforeReplace: false,
      })
      const mismatched = await host.check(ref, {}, { ...inputs, destination: { ...(inputs['destination'] as object), name: 'loops' } })
      expect(mismatched.failures).toEqual([
        { property: 'destination', reason: 'sync "courier-newsletter" names destination "courier", but the destination given is "loops"' },
      ])
    } finally {
      await host.stop()
    }
  })
})
