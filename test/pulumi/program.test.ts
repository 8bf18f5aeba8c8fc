import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import * as pulumi from '@pulumi/pulumi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import type { SpecSet } from '../../src/model/spec-types.js'
import { EMULATOR_SECRETS, EXAMPLE_SYNCS } from './helpers/example-project.js'
import { runProgram, secretValue, valueOf, type DeclaredResource, type ProgramRun } from './helpers/mock-program.js'

const CONNECTION = 'pulumi-nodejs:dynamic/outflow:DestinationConnection'
const SYNC = 'pulumi-nodejs:dynamic/outflow:Sync'
const PLANTED: Readonly<Record<string, string>> = { ...EMULATOR_SECRETS, LOOPS_API_KEY: 'planted-loops-key-3e9b41' }

let specs: SpecSet
let run: ProgramRun

beforeAll(async () => {
  specs = await loadValidSpecs(EXAMPLE_SYNCS)
  run = await runProgram(EXAMPLE_SYNCS, PLANTED)
})

function declared(type: string, name: string): DeclaredResource {
  const found = run.resources.find((r) => r.type === type && r.name === name)
  if (found === undefined) throw new Error(`no ${type} ${name}`)
  return found
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

describe('declareOutflow: the resource graph of syncs/', () => {
  it('declares one DestinationConnection per Destination and one Sync per Sync, named after them', () => {
    const byType = (type: string) => run.resources.filter((r) => r.type === type).map((r) => r.name)
    expect(byType(CONNECTION)).toEqual(['loops', 'braze', 'clevertap', 'courier'])
    expect(byType(SYNC).sort()).toEqual(specs.syncs.map((s) => s.name).sort())
    expect(byType(SYNC)).toHaveLength(7)
    expect(run.resources).toHaveLength(11)
    expect(Object.keys(run.outflow.connections)).toEqual(['loops', 'braze', 'clevertap', 'courier'])
    expect(Object.keys(run.outflow.syncs).sort()).toEqual(byType(SYNC).sort())
  })

  it('gives each connection its spec and what its syncs need prepared there', () => {
    const loops = declared(CONNECTION, 'loops')
    expect(loops.inputs['destination']).toEqual(plain(specs.destinations.find((d) => d.name === 'loops')))
    expect(loops.inputs['prepare']).toEqual({
      'loops-contacts': {
        object: 'contact',
        options: { mailingLists: { 'product-updates': true }, triggerEvent: { name: 'contactSynced', on: ['create'] } },
        fields: {
          email: 'string',
          userId: 'string',
          firstName: 'string',
          lastName: 'string',
          source: 'string',
          plan: 'string',
          signedUpAt: 'date',
          lifetimeValue: 'number',
        },
      },
    })
    const courier = declared(CONNECTION, 'courier').inputs['prepare'] as Record<string, { options: unknown }>
    expect(Object.keys(courier).sort()).toEqual(['courier-newsletter', 'courier-profiles'])
    expect(courier['courier-newsletter']?.options).toEqual({ list: { id: 'newsletter.weekly', name: 'Weekly newsletter' } })
  })

  it('passes each connection the config secrets its spec names, as a secret', async () => {
    expect(secretValue(declared(CONNECTION, 'loops').inputs['credentials'])).toEqual({ LOOPS_API_KEY: PLANTED['LOOPS_API_KEY'] })
    expect(secretValue(declared(CONNECTION, 'clevertap').inputs['credentials'])).toEqual({
      CLEVERTAP_PASSCODE: PLANTED['CLEVERTAP_PASSCODE'],
    })
    const credentials = (run.outflow.connections['loops'] as unknown as { credentials: pulumi.Output<unknown> }).credentials
    expect(await pulumi.isSecret(credentials)).toBe(true)
  })

  it('gives each sync its spec, destination, source, hash and connection, and makes it depend on the connection', () => {
    for (const spec of specs.syncs) {
      const sync = declared(SYNC, spec.name)
      const connection = `urn:pulumi:dev::outflow-test::${CONNECTION}::${spec.destination}`
      expect(sync.inputs).toMatchObject({
        sync: plain(spec),
        destination: plain(specs.destinations.find((d) => d.name === spec.destination)),
        // Relative to the Pulumi project directory, so the stack applies the same from any checkout.
        source: { ...(plain(specs.sources[0]) as object), connection: { type: 'duckdb', path: '.outflow/demo.duckdb' } },
        specHash: syncSpecHash(spec),
        connectionId: spec.destination,
      })
      expect(secretValue(sync.inputs['credentials'])).toEqual({})
      expect(sync.dependencies).toContain(connection)
    }
  })

  it('exposes the registered spec and its hash as outputs', async () => {
    const sync = run.outflow.syncs['courier-newsletter']!
    expect(await valueOf(sync.specHash)).toBe(syncSpecHash(specs.syncs.find((s) => s.name === 'courier-newsletter')!))
    expect((await valueOf(sync.sync)).object).toBe('profileWithList')
  })
})

describe('declareOutflow: serialized providers', () => {
  const providers = () => run.resources.map((r) => r.inputs['__provider'])

  it('serialize to one small text per resource type that loads the runtime by package name', () => {
    const texts = new Set(providers())
    expect(texts.size).toBe(2)
    for (const text of texts) {
      expect(typeof text).toBe('string')
      expect((text as string).length).toBeLessThan(4_000)
      expect(text).toContain("await import('outflow/pulumi-runtime')")
      // Nothing inlined or required by path: a captured library or a test transform would show here.
      expect(text).not.toMatch(/require\(|__vi|node_modules|duckdb|undici/)
    }
  })

  it('find every function they call in the runtime entry, by package name', () => {
    const runtime = createRequire(import.meta.url)('outflow/pulumi-runtime') as Record<string, unknown>
    for (const verb of ['check', 'diff', 'create', 'read', 'update', 'delete']) {
      expect(runtime[`${verb}Connection`]).toBeTypeOf('function')
      expect(runtime[`${verb}Sync`]).toBeTypeOf('function')
    }
  })

  it('carry no credential', () => {
    for (const text of providers()) {
      for (const secret of Object.values(PLANTED)) expect(text).not.toContain(secret)
    }
  })
})

describe('declareOutflow: failures', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outflow-program-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('fails on invalid specs with every problem at its file:line:col, declaring nothing', async () => {
    const broken = join(dir, 'broken')
    await cp(EXAMPLE_SYNCS, broken, { recursive: true })
    const file = join(broken, 'loops-contacts.yaml')
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('behavior: upsert', 'behavior: send').replace('object: contact', 'object: contacts'),
    )
    const error = await runProgram(broken, EMULATOR_SECRETS).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SPEC_INVALID' })
    expect((error as Error).message).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:13:\\d+ +/spec/object +`))
  })

  it('fails when a config secret is not set, naming the key and how to set it', async () => {
    const secrets = { ...EMULATOR_SECRETS, COURIER_AUTH_TOKEN: undefined }
    await expect(runProgram(EXAMPLE_SYNCS, JSON.parse(JSON.stringify(secrets)) as Record<string, string>)).rejects.toMatchObject({
      code: 'CREDENTIAL_MISSING',
      message:
        'destination "courier" authToken: Pulumi config secret COURIER_AUTH_TOKEN is not set; set it with `pulumi config set --secret COURIER_AUTH_TOKEN <value>`',
    })
  })
})
