import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'

import { startLoopsEmulator, type LoopsEmulator } from '../../providers/emulators.js'
import { listRegisteredSpecs } from '../../src/warehouse/state/spec-registry.js'
import {
  danglingSourceMapReferences,
  installedCopies,
  installProject,
  newestRelease,
  npmEnv,
  packRepository,
} from './helpers/installed-package.js'
import { PulumiCli, pulumiBin, runProcess } from './helpers/pulumi-cli.js'
import { withWarehouse, type PulumiProject } from './helpers/pulumi-project.js'

/*
 * Outflow as a user installs it: `npm pack` of this repository, installed from the tarball into a
 * new project outside the repository, beside the newest @pulumi/pulumi 3.x of the registry. The
 * project must end up with one copy of the SDK (two split its global runtime state, and resources
 * declared through one are unknown to the other), the package must carry its LICENSE, no source
 * map pointing at a file it lacks, and schemas any Ajv 2020 compiles; and `pulumi up` must apply a
 * small project: a DuckDB Source, a Loops Destination pointed at an emulator, one Sync.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const PULUMI = pulumiBin()
const LOOPS_API_KEY = 'installed-package-loops-key-3f9a'
/** The modeline the README gives for a spec file in `syncs/` of a project with outflow installed. */
const MODELINE = '# yaml-language-server: $schema=../node_modules/outflow/schema/outflow.v1.schema.json'

describe.skipIf(PULUMI.skipReason !== undefined)(
  `the packed package, installed beside the newest @pulumi/pulumi 3.x: ${PULUMI.skipReason ?? 'one SDK, LICENSE, source maps, schemas, pulumi up'}`,
  { timeout: 300_000 },
  () => {
    let root: string | undefined
    let project: PulumiProject
    let sdkVersion: string
    let loops: LoopsEmulator | undefined

    beforeAll(async () => {
      if (!existsSync(join(ROOT, 'dist/src/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)')
      root = await mkdtemp(join(tmpdir(), 'outflow-installed-'))
      const tarball = await packRepository(ROOT, root)
      sdkVersion = await newestRelease('@pulumi/pulumi', 3, root)
      const dir = join(root, 'project')
      await mkdir(dir)
      await installProject(dir, { outflow: `file:${tarball}`, '@pulumi/pulumi': sdkVersion })
      loops = await startLoopsEmulator({ rateLimit: false, apiKeys: [LOOPS_API_KEY] })
      project = await writeProject(dir, loops.url)
    }, 300_000)

    afterAll(async () => {
      await loops?.stop()
      if (root !== undefined) await rm(root, { recursive: true, force: true })
    })

    it("resolves one copy of @pulumi/pulumi: the project's own", async () => {
      const copies = await installedCopies(join(project.dir, 'node_modules'), '@pulumi/pulumi')
      expect(copies).toEqual([{ path: 'node_modules/@pulumi/pulumi', version: sdkVersion }])
    })

    it('ships the Apache License 2.0, and no source map pointing at a file it lacks', async () => {
      const installed = join(project.dir, 'node_modules', 'outflow')
      const license = await readFile(join(installed, 'LICENSE'), 'utf8')
      expect(license).toContain('Apache License\n                           Version 2.0, January 2004')
      expect(license).toContain('END OF TERMS AND CONDITIONS')
      expect(await danglingSourceMapReferences(installed)).toEqual([])
    })

    it("has schemas with an $id each that a default-strict Ajv 2020 compiles, and that accept the project's specs", async () => {
      const schemaDir = join(project.dir, 'node_modules', 'outflow', 'schema')
      const files = (await readdir(schemaDir, { recursive: true })).filter((file) => file.endsWith('.json'))
      const schemas = await Promise.all(
        files.map(async (file) => JSON.parse(await readFile(join(schemaDir, file), 'utf8')) as { $id?: string }),
      )
      const warnings: unknown[] = []
      const ajv = new Ajv2020({
        logger: { log: () => undefined, warn: (...args) => warnings.push(args), error: (...args) => warnings.push(args) },
      })
      for (const schema of schemas) ajv.addSchema(schema)
      for (const schema of schemas) expect(ajv.getSchema(schema.$id ?? 'no $id')).toBeTypeOf('function')
      expect(warnings).toEqual([])
      const validate = schemas.find((schema) => schema.$id?.endsWith('/outflow.v1.schema.json'))
      for (const document of await projectDocuments(project)) expect(ajv.validate(validate ?? {}, document), ajv.errorsText()).toBe(true)
    })

    it("runs the README's Ajv example in the project as written, with no strict-mode warning", async () => {
      const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
      const example = /```js\n(import { readFileSync } from 'node:fs'\n[\s\S]*?new Ajv2020\(\)[\s\S]*?\n)```/.exec(readme)?.[1]
      expect(example, 'the README shows how to load the schemas into Ajv').toBeDefined()
      const source = { apiVersion: 'outflow/v1', kind: 'Source', metadata: { name: 'w' }, spec: { type: 'duckdb' } }
      await writeFile(
        join(project.dir, 'check-schemas.mjs'),
        `${example ?? ''}console.log(typeof validate, validate(${JSON.stringify(source)}))\n`,
      )
      const result = await runProcess(process.execPath, ['check-schemas.mjs'], { cwd: project.dir, env: npmEnv(), timeoutMs: 30_000 })
      expect(result).toMatchObject({ code: 0, stdout: 'function true\n', stderr: '' })
    })

    it('lets each spec file point editors at the schema inside node_modules', async () => {
      for (const file of await readdir(project.specs)) {
        const [firstLine = ''] = (await readFile(join(project.specs, file), 'utf8')).split('\n')
        expect(firstLine).toBe(MODELINE)
        expect(existsSync(resolve(project.specs, firstLine.split('$schema=')[1] ?? ''))).toBe(true)
      }
    })

    it('applies the project with pulumi up: the connection checked with the vendor, the sync registered', async () => {
      const dir = root ?? ''
      await mkdir(join(dir, 'state'))
      const cli = new PulumiCli(PULUMI.dir ?? '', project.dir, { home: join(dir, 'pulumi-home'), passphrase: 'installed-package' })
      await cli.run(['login', `file://${join(dir, 'state')}`])
      await cli.run(['stack', 'init', 'dev'])
      await cli.run(['config', 'set', '--secret', 'LOOPS_API_KEY'], { input: LOOPS_API_KEY })
      const { stdout } = await cli.run(['up', '--yes'])
      expect(stdout).toContain('+ 3 created')
      expect(JSON.parse((await cli.run(['stack', 'output', 'syncs', '--json'])).stdout)).toEqual(['loops-contacts'])
      expect(loops?.requests().map((request) => request.status)).toContain(200)
      const registered = await withWarehouse(project, (warehouse) => listRegisteredSpecs(warehouse, 'outflow'))
      expect(registered.map((spec) => spec.spec.name)).toEqual(['loops-contacts'])
    })
  },
)

/** Writes the Pulumi project and its specs into `dir`, and seeds the model in its DuckDB warehouse. */
async function writeProject(dir: string, loopsUrl: string): Promise<PulumiProject> {
  const project = { dir, specs: join(dir, 'syncs'), warehouse: join(dir, 'warehouse.duckdb') }
  const files: Record<string, string> = {
    'Pulumi.yaml': 'name: outflow-installed\nruntime: nodejs\nmain: index.mjs\n',
    'index.mjs': `import { declareOutflow } from 'outflow/pulumi'\n\nconst outflow = await declareOutflow({ dir: 'syncs' })\nexport const syncs = Object.keys(outflow.syncs)\n`,
    'syncs/warehouse.yaml': `${MODELINE}\napiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: ../warehouse.duckdb }\n`,
    'syncs/loops.yaml': `${MODELINE}\napiVersion: outflow/v1\nkind: Destination\nmetadata: { name: loops }\nspec: { type: loops, apiKey: { secret: LOOPS_API_KEY }, baseUrl: "${loopsUrl}" }\n`,
    'syncs/loops-contacts.yaml': `${MODELINE}\napiVersion: outflow/v1\nkind: Sync\nmetadata: { name: loops-contacts }\nspec:
  { source: warehouse, model: { table: users }, destination: loops, object: contact, behavior: upsert,
    key: { column: email, field: email }, mappings: [{ column: first_name, field: firstName }], schedule: { interval: 1h } }\n`,
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true })
    await writeFile(join(dir, file), text)
  }
  await withWarehouse(project, async (warehouse) => {
    await warehouse.run({ sql: 'create table users (email varchar, first_name varchar)' })
    await warehouse.run({ sql: "insert into users values ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace')" })
  })
  return project
}

/** Every YAML document in the project's spec files, as plain data. */
async function projectDocuments(project: PulumiProject): Promise<unknown[]> {
  const texts = await Promise.all((await readdir(project.specs)).map((file) => readFile(join(project.specs, file), 'utf8')))
  return texts.flatMap((text) => parseAllDocuments(text).map((document) => document.toJS() as unknown))
}
