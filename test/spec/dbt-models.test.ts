import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { formatProblem } from '../../src/spec/problem.js'
import { loadSpecs } from '../../src/spec/load-specs.js'
import { syncSpecHash } from '../../src/spec/spec-hash.js'
import { manifestJson, type FixtureNode } from '../dbt/manifest-fixture.js'

/*
 * `model: { dbt: name }` as `outflow validate` and every command that loads specs see it, with a
 * dbt project written by hand (the real-dbt suite is test/cli/dbt.e2e.test.ts).
 */

const USERS: FixtureNode = { name: 'users', description: 'One row per user', columns: ['id', 'email', 'plan'] }

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outflow-dbt-spec-'))
  await mkdir(join(dir, 'dbt/target'), { recursive: true })
  await mkdir(join(dir, 'syncs'))
  await writeFile(join(dir, 'dbt/dbt_project.yml'), 'name: shop\nprofile: shop\n')
  await manifest([USERS, { name: 'orders' }])
  await source('dbt: { project: ../dbt }')
  await writeFile(join(dir, 'syncs/destinations.yaml'), destination)
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const destination = `apiVersion: outflow/v1
kind: Destination
metadata: { name: braze }
spec: { type: braze, restEndpoint: "https://rest.iad-01.braze.com", apiKey: { secret: BRAZE_API_KEY } }
`

async function manifest(nodes: FixtureNode[], path = 'dbt/target/manifest.json', adapter?: string): Promise<void> {
  await writeFile(join(dir, path), JSON.stringify(manifestJson(nodes, adapter === undefined ? {} : { adapter })))
}

async function source(dbt: string): Promise<void> {
  await writeFile(
    join(dir, 'syncs/warehouse.yaml'),
    `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec:\n  type: duckdb\n  path: warehouse.duckdb\n  ${dbt}\n`,
  )
}

async function sync(model: string, mappings = '[{ column: email }, { column: plan }]'): Promise<void> {
  await writeFile(
    join(dir, 'syncs/sync.yaml'),
    `apiVersion: outflow/v1
kind: Sync
metadata: { name: braze-users }
spec:
  source: warehouse
  model: ${model}
  destination: braze
  object: user
  behavior: upsert
  key: { column: id, field: external_id }
  mappings: ${mappings}
`,
  )
}

async function problems(): Promise<string[]> {
  const result = await loadSpecs(join(dir, 'syncs'))
  return [...result.errors, ...result.warnings].map((p) => formatProblem({ ...p, file: p.file.slice(dir.length + 1) }))
}

describe('a dbt model in a sync', () => {
  it('resolves through the manifest to the relation dbt builds, with its description and columns', async () => {
    await sync('{ dbt: users }')
    const { value, errors } = await loadSpecs(join(dir, 'syncs'))
    expect(errors).toEqual([])
    expect(value?.syncs[0]?.model).toEqual({
      dbt: 'users',
      table: '"warehouse"."main"."users"',
      uniqueId: 'model.shop.users',
      package: 'shop',
      relation: { database: 'warehouse', schema: 'main', alias: 'users' },
      description: 'One row per user',
      columns: ['id', 'email', 'plan'].map((name) => ({ name, description: undefined, dataType: undefined })),
    })
    expect(value?.sources[0]?.connection.dbt).toEqual({ project: join(dir, 'dbt') })
  })

  it('reports an unknown model at its line, with a suggestion', async () => {
    await sync('{ dbt: userz }')
    expect(await problems()).toEqual([
      `syncs/sync.yaml:6:17  /spec/model/dbt  no dbt model "userz" in ${join(dir, 'dbt/target/manifest.json')} (did you mean "users"?); a model added since dbt last ran needs \`dbt parse\` (or \`dbt build\`) first`,
    ])
  })

  it('warns of a mapped or key column dbt does not document, and refuses it under an enforced contract', async () => {
    await sync('{ dbt: users }', '[{ column: emial }, { allColumns: true, except: [plan, nope] }]')
    expect(await problems()).toEqual([
      'syncs/sync.yaml:11:24  /spec/mappings/0/column  warning: column "emial" is not among the columns dbt documents for model "users" (did you mean "email"?) (documented: id, email, plan)',
      'syncs/sync.yaml:11:68  /spec/mappings/1/except/1  warning: column "nope" is not among the columns dbt documents for model "users" (documented: id, email, plan)',
    ])
    await manifest([{ ...USERS, contract: true }])
    expect(await problems()).toEqual([
      'syncs/sync.yaml:11:24  /spec/mappings/0/column  column "emial" is not in dbt model "users", whose contract is enforced (did you mean "email"?) (columns: id, email, plan)',
      'syncs/sync.yaml:11:68  /spec/mappings/1/except/1  column "nope" is not in dbt model "users", whose contract is enforced (columns: id, email, plan)',
    ])
  })

  it("reads the manifest where the Source says: `manifest`, or the project's target-path", async () => {
    await sync('{ dbt: orders }')
    await manifest([{ name: 'orders', alias: 'fct_orders' }], 'custom.json')
    await source('dbt: { manifest: ../custom.json }')
    expect((await loadSpecs(join(dir, 'syncs'))).value?.syncs[0]?.model).toMatchObject({ table: '"warehouse"."main"."fct_orders"' })
    await mkdir(join(dir, 'dbt/build'))
    await writeFile(join(dir, 'dbt/dbt_project.yml'), 'name: shop\ntarget-path: build\n')
    await manifest([{ name: 'orders', alias: 'orders_built' }], 'dbt/build/manifest.json')
    await source('dbt: { project: ../dbt }')
    expect((await loadSpecs(join(dir, 'syncs'))).value?.syncs[0]?.model).toMatchObject({ table: '"warehouse"."main"."orders_built"' })
  })

  it('needs a dbt project on the Source, and reports a manifest it cannot read once, on the Source', async () => {
    await sync('{ dbt: users }')
    await source('stateSchema: outflow')
    expect(await problems()).toEqual([
      'syncs/sync.yaml:6:17  /spec/model/dbt  source "warehouse" names no dbt project: give it `dbt: { project: <dbt project directory> }` (or `manifest:`) to read dbt models',
    ])
    await source('dbt: { project: ../nowhere }')
    expect(await problems()).toEqual([
      `syncs/warehouse.yaml:7:8  /spec/dbt  cannot read the dbt project file ${join(dir, 'nowhere/dbt_project.yml')}: it does not exist (is \`project\` the directory of dbt_project.yml?)`,
    ])
  })

  it('leaves out the syncs of a manifest it cannot read when manifests are optional (registered runs need only the Sources)', async () => {
    await sync('{ dbt: users }')
    await rm(join(dir, 'dbt/target/manifest.json'))
    expect((await loadSpecs(join(dir, 'syncs'))).value).toBeUndefined()
    const optional = await loadSpecs(join(dir, 'syncs'), { dbtManifests: 'optional' })
    expect(optional.value?.syncs).toEqual([])
    expect(optional.value?.sources.map((s) => s.name)).toEqual(['warehouse'])
    expect(optional.warnings.map((p) => p.message)).toEqual([
      `cannot read the dbt manifest ${join(dir, 'dbt/target/manifest.json')}: it does not exist (run \`dbt parse\` or \`dbt build\` to write it); the syncs naming its models are left out`,
    ])
  })

  it('never shows the content of a file that is not a manifest, nor reads a device', async () => {
    await sync('{ dbt: users }')
    await writeFile(join(dir, 'secret.txt'), 'root:x:0:0:SECRET-VALUE\n')
    await source('dbt: { manifest: ../secret.txt }')
    const [problem] = await problems()
    expect(problem).toBe(`syncs/warehouse.yaml:7:8  /spec/dbt  the dbt manifest ${join(dir, 'secret.txt')} is not valid JSON`)
    await source('dbt: { manifest: /dev/zero }')
    expect(await problems()).toEqual(['syncs/warehouse.yaml:7:8  /spec/dbt  cannot read the dbt manifest /dev/zero: not a regular file'])
  })

  it('warns when the manifest was built for another engine than the Source', async () => {
    await sync('{ dbt: users }')
    await manifest([USERS], 'dbt/target/manifest.json', 'snowflake')
    expect(await problems()).toEqual([
      `syncs/warehouse.yaml:7:8  /spec/dbt  warning: dbt built ${join(dir, 'dbt/target/manifest.json')} with the snowflake adapter, but source "warehouse" is duckdb: its models may not be in this warehouse`,
    ])
  })

  it('keeps the spec hash when only what dbt says of the model changes', async () => {
    await sync('{ dbt: users }')
    const before = (await loadSpecs(join(dir, 'syncs'))).value?.syncs[0]
    await manifest([{ ...USERS, description: 'Another description', columns: ['id', 'email', 'plan', 'name'] }])
    const after = (await loadSpecs(join(dir, 'syncs'))).value?.syncs[0]
    expect(before && after && syncSpecHash(after)).toBe(before && syncSpecHash(before))
    await manifest([{ ...USERS, alias: 'dim_users' }])
    const moved = (await loadSpecs(join(dir, 'syncs'))).value?.syncs[0]
    expect(moved && syncSpecHash(moved)).not.toBe(before && syncSpecHash(before))
  })
})
