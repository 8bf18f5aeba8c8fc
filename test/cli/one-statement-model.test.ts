import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { numberField } from '../../src/warehouse/row-field.js'
import { requiredServices } from '../helpers/required-services.js'
import { runCli } from '../helpers/run-cli.js'

/*
 * A model is one SQL statement: `plan` and `run` refuse one that smuggles in a second (here, one
 * that drops a canary table), naming the sync and its spec file and line, and the canary lives.
 * A model that ends in a comment or a semicolon works. Through the CLI, on every engine.
 */

interface Engine {
  name: string
  /** Why it cannot run here; undefined when it can. */
  skip: string | undefined
  /** The body of the Source spec, with `stateSchema` to keep each test's state apart. */
  source(stateSchema: string): string
}

const postgresUrl = process.env['OUTFLOW_TEST_POSTGRES_URL'] ?? ''
const snowflakeUrl = process.env['OUTFLOW_TEST_SNOWFLAKE_URL'] ?? ''

const ENGINES: Engine[] = [
  { name: 'duckdb', skip: undefined, source: (state) => `{ type: duckdb, path: warehouse.duckdb, stateSchema: ${state} }` },
  {
    name: 'postgres',
    skip: unavailable('postgres', postgresUrl, 'OUTFLOW_TEST_POSTGRES_URL'),
    source: (state) => `{ type: postgres, url: { env: ONE_STATEMENT_TEST_PG_URL }, stateSchema: ${state} }`,
  },
  {
    // fakesnow does not enforce MULTI_STATEMENT_COUNT: here the adapter's own splitter refuses.
    name: 'snowflake',
    skip: unavailable('snowflake', snowflakeUrl, 'OUTFLOW_TEST_SNOWFLAKE_URL'),
    source: (
      state,
    ) => `{ type: snowflake, account: outflow, user: outflow, auth: { type: password, password: { env: ONE_STATEMENT_TEST_SF_PASSWORD } },
  warehouse: TEST, database: OUTFLOW_TEST, accessUrl: '${snowflakeUrl}', stateSchema: ${state} }`,
  },
]

function unavailable(name: string, url: string, variable: string): string | undefined {
  if (url !== '') return undefined
  if (requiredServices().has(name)) throw new Error(`${name} is required (OUTFLOW_REQUIRE_SERVICES) but ${variable} is not set`)
  return `set ${variable}`
}

let braze: BrazeEmulator
let dir: string
let schema: string

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: ['braze-test-key'] })
  Object.assign(process.env, {
    ONE_STATEMENT_TEST_BRAZE_KEY: 'braze-test-key',
    ONE_STATEMENT_TEST_PG_URL: postgresUrl,
    ONE_STATEMENT_TEST_SF_PASSWORD: 'test',
  })
})
afterAll(async () => {
  await braze.stop()
  for (const name of ['ONE_STATEMENT_TEST_BRAZE_KEY', 'ONE_STATEMENT_TEST_PG_URL', 'ONE_STATEMENT_TEST_SF_PASSWORD'])
    Reflect.deleteProperty(process.env, name)
})

/** Runs statements on the test's warehouse, through a connection of its own, closed after. */
async function sql(...statements: string[]): Promise<number[]> {
  const pool = new WarehousePool()
  try {
    const [source] = (await loadValidSpecs(join(dir, 'warehouse.yaml'))).sources
    if (source === undefined) throw new Error('no source')
    const adapter = await pool.get(source)
    const counts: number[] = []
    for (const statement of statements) counts.push(numberField((await adapter.run({ sql: statement })).rows[0] ?? {}, 'n'))
    return counts
  } finally {
    await pool.closeAll()
  }
}

function syncSpec(name: string, model: string): string {
  return `apiVersion: outflow/v1
kind: Sync
metadata: { name: ${name} }
spec:
  source: warehouse
  model: { sql: ${JSON.stringify(model)} }
  destination: braze
  object: user
  behavior: upsert
  key: { column: user_id, field: external_id }
  mappings: [{ column: email }]
`
}

for (const engine of ENGINES) {
  describe.skipIf(engine.skip !== undefined)(
    `one statement per model: ${engine.name}${engine.skip === undefined ? '' : ` (${engine.skip})`}`,
    () => {
      beforeEach(async () => {
        braze.reset()
        dir = await mkdtemp(join(tmpdir(), `outflow-cli-one-statement-`))
        schema = `m_${randomBytes(5).toString('hex')}`
        await writeFile(
          join(dir, 'warehouse.yaml'),
          `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: ${engine.source(`s_${schema}`)}\n`,
        )
        await writeFile(
          join(dir, 'braze.yaml'),
          `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: ONE_STATEMENT_TEST_BRAZE_KEY } }\n`,
        )
        const users = `${schema}.users`
        await writeFile(
          join(dir, 'syncs.yaml'),
          [
            syncSpec('commented', `select user_id, email from ${users} -- every user`),
            syncSpec('terminated', `select user_id, email from ${users};\n`),
            syncSpec(
              'smuggled',
              `select user_id, email from ${users}) m0) m1; drop table ${schema}.canary; select * from (select * from (select 1 as user_id, 1 as email`,
            ),
          ].join('---\n'),
        )
        await sql(
          `create schema ${schema}`,
          `create table ${users} (user_id varchar(20), email varchar(100))`,
          `insert into ${users} values ('u1', 'u1@example.com'), ('u2', 'u2@example.com'), ('u3', 'u3@example.com')`,
          `create table ${schema}.canary (id integer)`,
        )
      })
      afterEach(() => rm(dir, { recursive: true, force: true }))

      const canaryLives = async () => expect(await sql(`select count(*) as n from ${schema}.canary`)).toEqual([0])
      const refusal = () => `sync "smuggled" (${join(dir, 'syncs.yaml')}:25): model refused`

      it('plan refuses the smuggled model, naming the sync and its spec, and plans the others', async () => {
        const plan = await runCli('plan', '--dir', dir, '--format', 'json')
        expect(plan.code).toBe(1)
        const syncs = (JSON.parse(plan.stdout) as { syncs: { sync: string; create?: number; error?: { code: string; message: string } }[] })
          .syncs
        expect(syncs.find((s) => s.sync === 'smuggled')?.error).toMatchObject({
          code: 'MODEL_INVALID',
          message: expect.stringContaining(refusal()) as unknown,
        })
        expect(syncs.filter((s) => s.sync !== 'smuggled').map((s) => [s.sync, s.create])).toEqual([
          ['commented', 3],
          ['terminated', 3],
        ])
        await canaryLives()
      })

      it('run refuses the smuggled model and runs the others', async () => {
        const run = await runCli('run', '--from-dir', dir, '--json')
        expect(run.code).toBe(1)
        const results = (
          JSON.parse(run.stdout) as { results: { sync: string; status: string; error?: { code: string; message: string } }[] }
        ).results
        expect(results.map((r) => [r.sync, r.status])).toEqual([
          ['commented', 'succeeded'],
          ['terminated', 'succeeded'],
          ['smuggled', 'failed'],
        ])
        expect(results[2]?.error).toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining(refusal()) as unknown })
        expect(braze.state().users).toHaveLength(3)
        await canaryLives()
      })
    },
  )
}
