import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { delimiter, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { listRegisteredSpecs } from '../../src/warehouse/state/spec-registry.js'
import { stateTables } from '../../src/warehouse/state/state-tables.js'
import { describeResult, PulumiCli, pulumiBin, runProcess, type ProcessResult } from './helpers/pulumi-cli.js'
import {
  DESTINATION_NAMES,
  NEWSLETTER_LIST,
  PLANTED_SECRETS,
  PROJECT_NAME,
  queryWarehouse,
  startProjectEmulators,
  stopProjectEmulators,
  SYNC_NAMES,
  USERS,
  withWarehouse,
  writePulumiProject,
  type ProjectEmulators,
  type PulumiProject,
} from './helpers/pulumi-project.js'

/*
 * The real Pulumi CLI, end to end, on a local file backend: a user's project (Pulumi.yaml, a
 * three-line program importing `outflow/pulumi`, a directory of specs) against emulators of Loops,
 * Braze and Courier and an embedded DuckDB warehouse. preview, up, `outflow run`, idempotence,
 * drift in the state store and at the destination, repair, destroy; and no credential in
 * plaintext anywhere Pulumi writes or prints.
 *
 * The project lives under the repository's .outflow/ (git-ignored), so that `outflow/pulumi` and
 * `@pulumi/pulumi` resolve from its node_modules by walking up, as from a user's project. The
 * tests run in order, each from the state the previous one left.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI_BIN = join(ROOT, 'dist/src/cli/bin.js')
const PULUMI = pulumiBin()
const SYNC_TYPE = 'pulumi-nodejs:dynamic/outflow:Sync'
const CONNECTION_TYPE = 'pulumi-nodejs:dynamic/outflow:DestinationConnection'
/** `--expect-no-changes` found changes (CLI 3.226+). */
const EXIT_CHANGES = 7

describe.skipIf(PULUMI.skipReason !== undefined)(
  `pulumi CLI end to end: ${PULUMI.skipReason ?? 'preview, up, outflow run, drift, destroy'}`,
  { timeout: 300_000 },
  () => {
    let root: string
    let project: PulumiProject
    let emulators: ProjectEmulators
    let cli: PulumiCli
    /** What `outflow run` printed: searched for credentials too. */
    const runnerOutput: ProcessResult[] = []

    /** Undoes what beforeAll did, last first. */
    const cleanups: (() => Promise<void>)[] = []

    beforeAll(async () => {
      if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run \`npm run build\` (npm test does)`)
      await mkdir(join(ROOT, '.outflow'), { recursive: true })
      root = await mkdtemp(join(ROOT, '.outflow', 'pulumi-e2e-'))
      const dir = root
      cleanups.push(async () => {
        // OUTFLOW_TEST_KEEP_PULUMI_E2E keeps the project, state and a transcript of every command, to look into.
        if (process.env['OUTFLOW_TEST_KEEP_PULUMI_E2E'] === undefined) await rm(dir, { recursive: true, force: true })
        else await writeFile(join(dir, 'transcript.txt'), `${cli.output()}\n${runnerOutput.map(describeResult).join('\n')}`)
      })
      emulators = await startProjectEmulators()
      cleanups.push(() => stopProjectEmulators(emulators))
      project = await writePulumiProject(join(root, 'project'), emulators)
      await mkdir(join(root, 'state'))
      cli = new PulumiCli(PULUMI.dir!, project.dir, { home: join(root, 'pulumi-home'), passphrase: 'e2e-passphrase' })
      // For CI logs: what each command took.
      cleanups.push(() => {
        console.log(cli.transcript.map(timing).join('\n'))
        return Promise.resolve()
      })
      await cli.run(['login', `file://${join(root, 'state')}`])
      await cli.run(['stack', 'init', 'dev'])
      // The value on stdin, not in argv, as a user would (and as CI does from a secret).
      for (const [name, value] of Object.entries(PLANTED_SECRETS)) await cli.run(['config', 'set', '--secret', name], { input: value })
    }, 120_000)

    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup()
    })

    it('config holds each credential encrypted', async () => {
      const config = await readFile(join(project.dir, 'Pulumi.dev.yaml'), 'utf8')
      for (const name of Object.keys(PLANTED_SECRETS)) expect(config).toMatch(new RegExp(`${PROJECT_NAME}:${name}:\\s+secure: `))
    })

    it('preview --diff shows every connection and sync to create, and changes nothing', async () => {
      const { stdout } = await cli.run(['preview', '--diff'])
      for (const name of DESTINATION_NAMES)
        expect(stdout).toContain(`+ ${CONNECTION_TYPE}: (create)\n        [urn=${urn(CONNECTION_TYPE, name)}]`)
      for (const name of SYNC_NAMES) expect(stdout).toContain(`+ ${SYNC_TYPE}: (create)\n        [urn=${urn(SYNC_TYPE, name)}]`)
      expect(stdout).toMatch(/credentials\s*: \[secret\]/)
      expect(stdout).toContain('+ 7 to create')
      expect(emulators.courier.state().lists).toEqual([])
      expect(await stateSchemaTables()).toEqual([])
    })

    it('up --yes checks each connection, prepares the Courier list and Loops property, and registers each sync', async () => {
      const { stdout } = await cli.run(['up', '--yes'])
      expect(stdout).toContain('+ 7 created')
      const registered = await registeredSpecs()
      expect(registered.map((r) => r.spec.name)).toEqual([...SYNC_NAMES])
      expect(registered.find((r) => r.spec.name === 'courier-newsletter')?.destination.connection).toMatchObject({
        type: 'courier',
        authToken: { secret: 'COURIER_AUTH_TOKEN' },
      })
      expect(activeCourierLists()).toEqual([NEWSLETTER_LIST])
      expect(emulators.loops.state().customProperties.map((p) => p.key)).toContain('plan')
      // Registering sends nothing: the runner does.
      expect(emulators.braze.state().users).toEqual([])
      expect(await stackOutput('syncs')).toEqual([...SYNC_NAMES])
    })

    it('outflow run --dir runs the registered syncs: the emulators hold the model rows', async () => {
      const result = await outflow(['run', '--dir', project.specs])
      expect(result.code, describeResult(result)).toBe(0)
      expect(result.stdout).toContain('running 3 registered syncs')
      const subscribed = USERS.filter((u) => u.is_subscribed)
      const braze = emulators.braze.state().users.map((u) => [u.external_id, u.attributes['email'], u.custom_attributes['plan']])
      expect(sortedByFirst(braze)).toEqual(USERS.map((u) => [u.user_id, u.email, u.plan]))
      const loops = emulators.loops.state().contacts.map((c) => [c['userId'], c['email'], c['plan'], c['mailingLists']])
      expect(sortedByFirst(loops)).toEqual(USERS.map((u) => [u.user_id, u.email, u.plan, { 'product-updates': true }]))
      const members = emulators.courier.state().subscriptions[NEWSLETTER_LIST] ?? []
      expect(members.map((m) => m.recipientId).sort()).toEqual(subscribed.map((u) => u.user_id))
      expect(emulators.courier.state().profiles['u1']?.profile).toMatchObject({ email: 'ada@example.com', given_name: 'Ada' })
    })

    it('a second preview finds nothing to change, with or without a refresh', async () => {
      expect((await cli.run(['preview', '--expect-no-changes'])).stdout).toMatch(/Resources:\s+7 unchanged/)
      expect((await cli.run(['preview', '--refresh', '--expect-no-changes'])).stdout).toMatch(/Resources:\s+7 unchanged/)
    })

    it('a change in git: plan and preview show it (a new mapping is a new specHash, a full resync; a new key a replacement), up applies it', async () => {
      const file = join(project.specs, 'braze-users.yaml')
      const original = await readFile(file, 'utf8')
      const before = (await registeredSpecs()).find((r) => r.spec.name === 'braze-users')!
      const withSource = original.replace('    - { column: plan }', '    - { column: plan }\n    - { constant: warehouse, field: source }')
      await writeFile(file, withSource)

      const plan = await outflow(['plan', '--dir', project.specs, '--format', 'markdown', '--samples', '0'])
      expect(plan.code, describeResult(plan)).toBe(0)
      expect(plan.stdout).toContain('braze-users')
      expect(plan.stdout).toMatch(/full resync/i)

      const preview = await cli.run(['preview', '--diff'])
      expect(preview.stdout).toContain(`~ ${SYNC_TYPE}: (update)\n        [id=braze-users]\n        [urn=${urn(SYNC_TYPE, 'braze-users')}]`)
      expect(preview.stdout).toMatch(/~ specHash\s*: "[0-9a-f]{64}" => "[0-9a-f]{64}"/)
      expect(preview.stdout).toMatch(/Resources:\s+~ 2 to update\s+5 unchanged/)

      // The key identifies the records a sync wrote: another key is another sync, registered anew.
      await writeFile(
        file,
        withSource.replace('key: { column: user_id, field: external_id }', 'key: { column: email, field: external_id }'),
      )
      const replace = await cli.run(['preview', '--diff'])
      expect(replace.stdout).toContain(
        `+-${SYNC_TYPE}: (replace)\n        [id=braze-users]\n        [urn=${urn(SYNC_TYPE, 'braze-users')}]`,
      )
      await writeFile(file, withSource)

      expect((await cli.run(['up', '--yes'])).stdout).toMatch(/Resources:\s+~ 2 updated\s+5 unchanged/)
      const after = (await registeredSpecs()).find((r) => r.spec.name === 'braze-users')!
      expect(after.specHash).not.toBe(before.specHash)
      expect(after.spec.mappings).toContainEqual({ kind: 'constant', value: 'warehouse', field: 'source' })

      const run = await outflow(['run', '--dir', project.specs])
      expect(run.code, describeResult(run)).toBe(0)
      expect(run.stdout).toMatch(/succeeded braze-users .*: 0 added, 5 changed/)
      expect(emulators.braze.state().users.map((u) => u.custom_attributes['source'])).toEqual(USERS.map(() => 'warehouse'))
      const due = await outflow(['run', '--due', '--dir', project.specs])
      expect(due.code, describeResult(due)).toBe(0)
      expect(due.stdout).toBe('no sync is due\n')
    })

    it('drift in the state store: a spec edited there by hand fails the drift check (exit 7) until up --refresh registers the program again', async () => {
      const before = (await registeredSpecs()).find((r) => r.spec.name === 'braze-users')!
      const edited = { ...before.spec, mappings: before.spec.mappings.filter((m) => !('column' in m && m.column === 'plan')) }
      await withWarehouse(project, async (warehouse) => {
        const { specs } = stateTables(warehouse.dialect, 'outflow')
        const json = JSON.stringify({ sync: edited, destination: before.destination })
        const { rowsAffected } = await warehouse.run({ sql: `update ${specs} set spec = ? where sync = ?`, params: [json, 'braze-users'] })
        expect(rowsAffected).toBe(1)
      })

      const drift = await cli.run(['preview', '--refresh', '--expect-no-changes', '--diff'], { expectCode: EXIT_CHANGES })
      expect(drift.stdout).toContain(`~ ${SYNC_TYPE}: (update)\n        [id=braze-users]\n        [urn=${urn(SYNC_TYPE, 'braze-users')}]`)
      expect(drift.stdout).toMatch(/Resources:\s+~ 1 to update\s+6 unchanged/)
      expect(`${drift.stdout}${drift.stderr}`).toContain('error: no changes were expected for preview but changes were proposed')

      // Without a refresh, Pulumi compares the program with its own state, which did not move: the drift stays.
      expect((await cli.run(['up', '--yes'])).stdout).toMatch(/Resources:\s+7 unchanged/)
      expect(mappedColumns((await registeredSpecs()).find((r) => r.spec.name === 'braze-users')!.spec)).not.toContain('plan')

      expect((await cli.run(['up', '--refresh', '--yes'])).stdout).toMatch(/~ 1 updated/)
      const repaired = (await registeredSpecs()).find((r) => r.spec.name === 'braze-users')!
      expect(repaired.spec).toEqual(before.spec)
      expect(repaired.specHash).toBe(before.specHash)
      await cli.run(['preview', '--refresh', '--expect-no-changes'])
    })

    it('drift at the destination: a Courier list deleted there fails the drift check (exit 7) until up --refresh prepares it again', async () => {
      const response = await fetch(`${emulators.courier.url}/lists/${NEWSLETTER_LIST}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${PLANTED_SECRETS.COURIER_AUTH_TOKEN}` },
      })
      expect(response.status).toBe(204)
      expect(activeCourierLists()).toEqual([])

      const drift = await cli.run(['preview', '--refresh', '--expect-no-changes', '--diff'], { expectCode: EXIT_CHANGES })
      expect(drift.stdout).toContain(
        `~ ${CONNECTION_TYPE}: (update)\n        [id=courier]\n        [urn=${urn(CONNECTION_TYPE, 'courier')}]`,
      )
      expect(drift.stdout).toMatch(/Resources:\s+~ 1 to update\s+6 unchanged/)

      expect((await cli.run(['up', '--refresh', '--yes'])).stdout).toMatch(/~ 1 updated/)
      expect(activeCourierLists()).toEqual([NEWSLETTER_LIST])
      await cli.run(['preview', '--refresh', '--expect-no-changes'])
    })

    it('destroy --yes unregisters every sync and leaves the data at the destinations as it is', async () => {
      const { stdout } = await cli.run(['destroy', '--yes'])
      expect(stdout).toContain('- 7 deleted')
      expect(await registeredSpecs()).toEqual([])
      expect(emulators.braze.state().users).toHaveLength(USERS.length)
      expect(emulators.loops.state().contacts).toHaveLength(USERS.length)
      expect(activeCourierLists()).toEqual([NEWSLETTER_LIST])
      expect(emulators.courier.state().subscriptions[NEWSLETTER_LIST]).toHaveLength(USERS.filter((u) => u.is_subscribed).length)
      // The runner has nothing left to run, and says why.
      const result = await outflow(['run', '--dir', project.specs])
      expect(result.code, describeResult(result)).toBe(1)
      expect(result.stderr).toContain('no sync is registered in the state store of source "warehouse"')
    })

    it('no credential appears in plaintext: not in state, backups, history, config, nor in any output', async () => {
      const files = await filesUnder(root)
      expect(files.some((f) => f.includes(join('.pulumi', 'stacks', PROJECT_NAME)))).toBe(true)
      expect(files.some((f) => f.includes(join('.pulumi', 'history')))).toBe(true)
      const leaks: string[] = []
      for (const file of files) {
        const bytes = await readFile(file)
        for (const [name, value] of Object.entries(PLANTED_SECRETS))
          if (bytes.includes(value)) leaks.push(`${name} in ${relative(root, file)}`)
      }
      const output = `${cli.output()}\n${runnerOutput.map(describeResult).join('\n')}`
      for (const [name, value] of Object.entries(PLANTED_SECRETS)) if (output.includes(value)) leaks.push(`${name} in the output`)
      expect(leaks).toEqual([])
      // The credentials were in state all along, encrypted: a checkpoint of the deployed stack has them as ciphertext.
      const history = await Promise.all(files.filter((f) => f.includes(join('.pulumi', 'history'))).map((f) => readFile(f, 'utf8')))
      expect(history.some((text) => text.includes('"credentials"') && text.includes('"ciphertext"'))).toBe(true)
    })

    function urn(type: string, name: string): string {
      return `urn:pulumi:dev::${PROJECT_NAME}::${type}::${name}`
    }

    async function outflow(args: readonly string[]): Promise<ProcessResult> {
      const result = await runProcess(process.execPath, [CLI_BIN, ...args], {
        cwd: project.dir,
        env: { PATH: [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter), NO_COLOR: '1', ...PLANTED_SECRETS },
        timeoutMs: 120_000,
      })
      runnerOutput.push(result)
      return result
    }

    async function stackOutput(name: string): Promise<unknown> {
      return JSON.parse((await cli.run(['stack', 'output', name, '--json'])).stdout) as unknown
    }

    function registeredSpecs() {
      return withWarehouse(project, (warehouse) => listRegisteredSpecs(warehouse, 'outflow'))
    }

    async function stateSchemaTables(): Promise<unknown[]> {
      const rows = await queryWarehouse(project, `select table_name from information_schema.tables where table_schema = 'outflow'`)
      return rows.map((r) => r['table_name'])
    }

    function activeCourierLists(): string[] {
      return emulators.courier
        .state()
        .lists.filter((l) => !l.deleted)
        .map((l) => l.id)
    }
  },
)

/** A command's duration, exit code and arguments, on one line. */
function timing(result: ProcessResult): string {
  return `${String(result.durationMs).padStart(6)} ms  exit ${String(result.code)}  ${result.command.replace(/^\S*\//, '')}`
}

/** Rows sorted by their first value (the user id). */
function sortedByFirst(rows: unknown[][]): unknown[][] {
  return [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
}

function mappedColumns(spec: { mappings: readonly object[] }): string[] {
  return spec.mappings.flatMap((m) => ('column' in m && typeof m.column === 'string' ? [m.column] : []))
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}
