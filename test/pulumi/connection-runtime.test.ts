import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

import { prepareRequestsFor } from '../../src/pulumi/prepare-requests.js'
import {
  checkConnection,
  createConnection,
  deleteConnection,
  diffConnection,
  readConnection,
  updateConnection,
  UNKNOWN_VALUE,
  type ConnectionInputs,
  type ConnectionOutputs,
} from '../../src/pulumi/runtime/index.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import type { DestinationSpec, SpecSet } from '../../src/model/spec-types.js'
import {
  allEmulators,
  EMULATOR_SECRETS,
  removeProject,
  startEmulators,
  stopEmulators,
  writeExampleProject,
  type Emulators,
} from './helpers/example-project.js'

let emulators: Emulators
let dir: string
let specs: SpecSet

beforeAll(async () => {
  emulators = await startEmulators()
  dir = await writeExampleProject(emulators)
  specs = await loadValidSpecs(dir)
})
afterAll(async () => {
  await stopEmulators(emulators)
  await removeProject(dir)
})
beforeEach(() => {
  for (const emulator of allEmulators(emulators)) emulator.reset()
})

function destination(name: string): DestinationSpec {
  const found = specs.destinations.find((d) => d.name === name)
  if (found === undefined) throw new Error(`no destination ${name}`)
  return found
}

/** The inputs the program gives the connection `name`, with the secrets the emulators accept unless `credentials` says otherwise. */
function connectionInputs(name: string, credentials: Record<string, string> = EMULATOR_SECRETS): ConnectionInputs {
  const spec = destination(name)
  return { destination: spec, prepare: prepareRequestsFor(specs, spec), credentials }
}

async function created(name: string): Promise<ConnectionOutputs> {
  const result = await createConnection(connectionInputs(name))
  if (result.outs === undefined) throw new Error('create returned no outputs')
  return result.outs
}

describe('DestinationConnection runtime: create and update', () => {
  it('checks the key and creates the Loops custom properties its syncs map', async () => {
    const result = await createConnection(connectionInputs('loops'))
    expect(result.id).toBe('loops')
    expect(result.outs).toMatchObject({ verified: true, status: 'Loops team "Outflow Emulator"', missing: [] })
    expect(result.outs?.prepared).toEqual(['property:lifetimeValue (number)', 'property:plan (string)', 'property:signedUpAt (date)'])
    expect(emulators.loops.state().customProperties.map((p) => `${p.key}:${p.type}`)).toEqual(
      expect.arrayContaining(['plan:string', 'signedUpAt:date', 'lifetimeValue:number']),
    )
  })

  it('creates the Courier list of a list sync, named as the sync says', async () => {
    const outs = await created('courier')
    expect(outs.prepared).toEqual(['list:newsletter.weekly'])
    expect(emulators.courier.state().lists).toEqual([expect.objectContaining({ id: 'newsletter.weekly', name: 'Weekly newsletter' })])
  })

  it('verifies Braze and CleverTap credentials, which need nothing prepared', async () => {
    expect(await created('braze')).toMatchObject({ verified: true, prepared: [] })
    expect(await created('clevertap')).toMatchObject({ verified: true, prepared: [] })
  })

  it('prepares again on update, for a sync that maps a new field', async () => {
    const outs = await created('loops')
    const news = connectionInputs('loops')
    const request = news.prepare['loops-contacts']!
    news.prepare['loops-contacts'] = { ...request, fields: { ...request.fields, country: 'string' } }
    const updated = await updateConnection('loops', outs, news)
    expect(updated.outs?.prepared).toContain('property:country (string)')
    expect(emulators.loops.state().customProperties.map((p) => p.key)).toContain('country')
  })

  it('fails a refused key with DESTINATION_AUTH, naming the destination and the config secret, never the key', async () => {
    const error = await createConnection(connectionInputs('loops', { LOOPS_API_KEY: 'planted-wrong-key-5d1c' })).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'DESTINATION_AUTH',
      message: 'destination "loops": Loops refused the API key (HTTP 401, GET /v1/api-key); check Pulumi config secret LOOPS_API_KEY',
    })
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('planted-wrong-key-5d1c')
  })

  it('fails an unset config secret with CREDENTIAL_MISSING, saying how to set it', async () => {
    await expect(createConnection(connectionInputs('courier', {}))).rejects.toMatchObject({
      code: 'CREDENTIAL_MISSING',
      message:
        'destination "courier" authToken: Pulumi config secret COURIER_AUTH_TOKEN is not set (pulumi config set --secret COURIER_AUTH_TOKEN <value>)',
    })
  })

  it('reads an `env` reference from the environment, not from the config secrets', async () => {
    const spec = destination('courier')
    const inputs: ConnectionInputs = {
      destination: { ...spec, connection: { ...spec.connection, type: 'courier', authToken: { env: 'T_COURIER_TOKEN' } } },
      prepare: {},
      credentials: { T_COURIER_TOKEN: 'not-this-one' },
    }
    await expect(createConnection(inputs)).rejects.toThrow(
      'destination "courier" authToken: environment variable T_COURIER_TOKEN is not set',
    )
    vi.stubEnv('T_COURIER_TOKEN', EMULATOR_SECRETS['COURIER_AUTH_TOKEN'])
    await expect(createConnection(inputs)).resolves.toMatchObject({ outs: { verified: true } })
  })

  it('names the sync whose preparation failed', async () => {
    const inputs = connectionInputs('loops')
    emulators.loops.setFaults([{ kind: 'status', status: 500, match: { method: 'POST', path: '/v1/contacts/properties' }, count: 10 }])
    const error = await createConnection(inputs).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DESTINATION_UNAVAILABLE' })
    expect((error as Error).message).toMatch(/^destination "loops": .*\(preparing sync "loops-contacts"\)$/)
  })
})

describe('DestinationConnection runtime: read, diff, delete', () => {
  it('reads what went missing at the destination, and diff turns it into a change that update repairs', async () => {
    const outs = await created('courier')
    const deleted = await fetch(`${emulators.courier.url}/lists/newsletter.weekly`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${EMULATOR_SECRETS['COURIER_AUTH_TOKEN']!}` },
    })
    expect(deleted.ok).toBe(true)
    const read = await readConnection('courier', outs)
    expect(read).toMatchObject({ id: 'courier', props: { verified: true, missing: ['list:newsletter.weekly'] } })
    expect(read.inputs).toEqual(connectionInputs('courier'))
    expect(diffConnection('courier', read.props!, connectionInputs('courier'))).toEqual({ changes: true, replaces: [] })
    await updateConnection('courier', read.props!, connectionInputs('courier'))
    const again = await readConnection('courier', outs)
    expect(again.props?.missing).toEqual([])
    expect(diffConnection('courier', again.props!, connectionInputs('courier')).changes).toBe(false)
  })

  it('reads refused credentials as drift rather than failing the refresh', async () => {
    const outs = await created('loops')
    const read = await readConnection('loops', { ...outs, credentials: { LOOPS_API_KEY: 'revoked-key-77aa' } })
    expect(read.props).toMatchObject({
      verified: false,
      status: 'destination "loops": Loops refused the API key (HTTP 401, GET /v1/api-key)',
    })
    expect(JSON.stringify(read)).not.toContain('Outflow Emulator')
    expect(diffConnection('loops', read.props!, connectionInputs('loops')).changes).toBe(true)
  })

  it('fails a refresh when the vendor cannot be reached, naming the destination', async () => {
    const outs = await created('braze')
    const spec = outs.destination
    const unreachable = { ...spec, connection: { ...spec.connection, restEndpoint: 'http://127.0.0.1:1' } } as DestinationSpec
    const error = await readConnection('braze', { ...outs, destination: unreachable }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DESTINATION_UNAVAILABLE' })
    expect((error as Error).message).toMatch(/^destination "braze": /)
  })

  it('diffs against state: no change for the same inputs, new provider code or a spec moved in its file', async () => {
    const outs = await created('loops')
    const inputs = connectionInputs('loops')
    expect(diffConnection('loops', { ...outs, __provider: 'old code' } as ConnectionOutputs, inputs)).toEqual({
      changes: false,
      replaces: [],
    })
    const moved = { ...inputs, destination: { ...inputs.destination, origin: { file: 'elsewhere.yaml', line: 40 } } }
    expect(diffConnection('loops', outs, moved).changes).toBe(false)
  })

  it('diffs new credentials, a new base URL or new needs as changes, and another vendor as a replacement', async () => {
    const outs = await created('loops')
    const inputs = connectionInputs('loops')
    expect(diffConnection('loops', outs, { ...inputs, credentials: { LOOPS_API_KEY: 'rotated' } }).changes).toBe(true)
    expect(diffConnection('loops', outs, { ...inputs, prepare: {} }).changes).toBe(true)
    const moved = { ...inputs.destination, connection: { ...inputs.destination.connection, baseUrl: 'http://127.0.0.1:2' } }
    expect(diffConnection('loops', outs, { ...inputs, destination: moved })).toEqual({ changes: true, replaces: [] })
    const courier = { ...inputs.destination, connection: destination('courier').connection }
    expect(diffConnection('loops', outs, { ...inputs, destination: courier })).toEqual({
      changes: true,
      replaces: ['destination.connection.type'],
    })
  })

  it('diffs inputs not known yet in a preview as a change, and a replacement only when the type is unknown', async () => {
    const outs = await created('loops')
    const inputs = connectionInputs('loops')
    expect(diffConnection('loops', outs, { ...inputs, credentials: { LOOPS_API_KEY: UNKNOWN_VALUE } })).toEqual({
      changes: true,
      replaces: [],
    })
    const unknownType = { ...inputs.destination, connection: UNKNOWN_VALUE } as unknown as DestinationSpec
    expect(diffConnection('loops', outs, { ...inputs, destination: unknownType }).replaces).toEqual(['destination.connection.type'])
  })

  it('deletes without touching the destination, as often as asked', async () => {
    const outs = await created('courier')
    await deleteConnection('courier', outs)
    await deleteConnection('courier', outs)
    expect(emulators.courier.state().lists.map((l) => l.id)).toEqual(['newsletter.weekly'])
  })
})

describe('DestinationConnection runtime: check', () => {
  it('accepts the inputs the program gives, as plain JSON', () => {
    const inputs = connectionInputs('loops')
    const result = checkConnection({}, { ...inputs, __provider: 'text' })
    expect(result.failures).toEqual([])
    expect(result.inputs).toEqual(JSON.parse(JSON.stringify(inputs)))
  })

  it('names each malformed input', () => {
    const result = checkConnection(
      {},
      {
        destination: { ...destination('loops'), connection: { type: 'mailchimp' } },
        prepare: { 'loops-contacts': { object: 'contact' } },
        credentials: { LOOPS_API_KEY: 42 },
      },
    )
    expect(result.failures).toEqual([
      { property: 'destination', reason: 'destination "loops": expected a connection of type loops, braze, clevertap, courier' },
      { property: 'prepare.loops-contacts', reason: 'sync "loops-contacts": expected a prepare request with an object and its fields' },
      { property: 'credentials', reason: 'expected a map of names to string values' },
    ])
    const wrongObject = checkConnection({}, { ...connectionInputs('loops'), prepare: { s: { object: 'event', options: {}, fields: {} } } })
    expect(wrongObject.failures).toEqual([{ property: 'prepare.s', reason: 'sync "s": a loops destination has no object "event"' }])
  })

  it('lets values not known yet through', () => {
    const result = checkConnection({}, { destination: UNKNOWN_VALUE, prepare: UNKNOWN_VALUE, credentials: UNKNOWN_VALUE })
    expect(result.failures).toEqual([])
  })
})
