import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { CliProcess, waitUntil, type CliExit } from '../engine/helpers/cli-process.js'
import { createPostgresSandbox, type PostgresSandbox } from '../helpers/postgres-sandbox.js'
import { requiredServices } from '../helpers/required-services.js'
import { freshTaskQueue, temporalAddress } from '../helpers/temporal-service.js'

/** What a workspace's syncs hold, and how fast its Braze emulator answers. */
export interface WorkspaceShape {
  /** Users in `app.users` (synced by `braze-users`), and in `app.users_b` (`braze-users-b`) when given. */
  users: number
  usersB?: number
  /** Events in `app.events` (sent once each by `braze-events`) when given. */
  events?: number
  /** The emulator's `/users/track` limit, which the destination declares too (requests a second). */
  rate: number
}

/**
 * A project as a team running workers has it: a PostgreSQL warehouse every worker reaches (a
 * database of its own), a Braze emulator, a specs directory, and a task queue of its own, so that
 * the workers of one test never take another's pages.
 */
export class TemporalWorkspace {
  readonly taskQueue = freshTaskQueue()
  private readonly workers: CliProcess[] = []

  private constructor(
    readonly dir: string,
    readonly sandbox: PostgresSandbox,
    readonly braze: BrazeEmulator,
    readonly address: string,
  ) {}

  static async create(postgresUrl: string, address: string, shape: WorkspaceShape): Promise<TemporalWorkspace> {
    const dir = await mkdtemp(join(tmpdir(), 'outflow-temporal-'))
    const sandbox = await createPostgresSandbox(postgresUrl)
    const braze = await startBrazeEmulator({
      apiKeys: ['braze-test-key'],
      rateLimits: { usersTrack: { limit: shape.rate, windowMs: 1000 } },
    })
    const workspace = new TemporalWorkspace(dir, sandbox, braze, address)
    await workspace.build(shape)
    return workspace
  }

  /** The environment of every process: the warehouse URL and the Braze key, as references name them. */
  get env(): Record<string, string> {
    return { TW_PG_URL: this.sandbox.adminUrl, TW_BRAZE_KEY: 'braze-test-key' }
  }

  /** `--temporal-address … --task-queue …` for this workspace. */
  get temporalArgs(): string[] {
    return ['--temporal-address', this.address, '--task-queue', this.taskQueue]
  }

  private async build(shape: WorkspaceShape): Promise<void> {
    await this.sandbox.query('create schema app')
    const users = (table: string, count: number, prefix: string) =>
      this.sandbox.query(
        `create table app.${table} as select '${prefix}' || g as user_id, '${prefix}' || g || '@example.com' as email, g as score from generate_series(1, ${count}) g`,
      )
    await users('users', shape.users, 'u')
    const syncs = [
      sync(
        'braze-users',
        'app.users',
        'user',
        'mirror',
        'key: { column: user_id, field: external_id }, mappings: [{ column: email }, { column: score, type: number }]',
      ),
    ]
    if (shape.usersB !== undefined) {
      await users('users_b', shape.usersB, 'b')
      syncs.push(
        sync(
          'braze-users-b',
          'app.users_b',
          'user',
          'mirror',
          'key: { column: user_id, field: external_id }, mappings: [{ column: email }, { column: score, type: number }]',
        ),
      )
    }
    if (shape.events !== undefined) {
      await this.sandbox.query(
        `create table app.events as select 'e' || g as event_id, 'u' || (1 + g % ${shape.users}) as user_id, 'signed_in' as name,
          timestamp '2026-01-01' + g * interval '1 second' as occurred_at from generate_series(1, ${shape.events}) g`,
      )
      syncs.push(
        sync(
          'braze-events',
          'app.events',
          'event',
          'send',
          'key: { column: event_id }, backfill: true, mappings: [{ column: user_id, field: external_id }, { column: name, field: name }, { column: occurred_at, field: time }, { column: event_id }]',
        ),
      )
    }
    const doc = (kind: string, name: string, spec: string) =>
      `apiVersion: outflow/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec: ${spec}\n`
    await writeFile(join(this.dir, 'warehouse.yaml'), doc('Source', 'warehouse', '{ type: postgres, url: { env: TW_PG_URL } }'))
    await writeFile(
      join(this.dir, 'braze.yaml'),
      doc(
        'Destination',
        'braze',
        `{ type: braze, restEndpoint: '${this.braze.url}', apiKey: { secret: TW_BRAZE_KEY }, maxRequestsPerSecond: ${shape.rate} }`,
      ),
    )
    for (const [name, body] of syncs) await writeFile(join(this.dir, `${name}.yaml`), doc('Sync', name, body))
  }

  /** Starts `outflow worker` in a process of its own and waits until it polls the Braze queues. */
  async startWorker(...args: string[]): Promise<CliProcess> {
    const worker = CliProcess.start(['worker', '--dir', this.dir, ...this.temporalArgs, ...args], this.env)
    this.workers.push(worker)
    const polling = () =>
      worker.stdout.includes('delivering for destination \\"braze\\"') || worker.stdout.includes('delivering for destination "braze"')
    await waitUntil(polling, 'the worker to poll its queues', worker, 60_000)
    return worker
  }

  /** Starts `outflow run --from-dir … --temporal-address … --json [syncs]` in a process of its own. */
  startRun(...args: string[]): CliProcess {
    return CliProcess.start(['run', '--from-dir', this.dir, ...this.temporalArgs, '--json', ...args], this.env)
  }

  /** Runs the CLI with this workspace's environment. */
  cli(...args: string[]): Promise<CliExit> {
    return CliProcess.run(args, this.env)
  }

  /** Rows of a model query, through a client of the test's own. */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.sandbox.query(sql)).rows as Record<string, unknown>[]
  }

  /** Braze users as (external id, email, score), sorted. */
  brazeUsers(prefix: string): string[] {
    return this.braze
      .state()
      .users.filter((u) => u.external_id?.startsWith(prefix) === true)
      .map((u) => `${u.external_id ?? ''}|${String(u.attributes['email'])}|${String(u.custom_attributes['score'])}`)
      .sort()
  }

  /** The model's users as Braze should hold them, in the same form. */
  async modelUsers(table: string): Promise<string[]> {
    return (await this.rows(`select user_id, email, score from app.${table}`))
      .map((r) => `${String(r['user_id'])}|${String(r['email'])}|${String(r['score'])}`)
      .sort()
  }

  /** Pages each worker delivered, from its log. */
  pagesPerWorker(): number[] {
    return this.workers.map((w) => w.stdout.split('\n').filter((line) => line.includes('delivered page')).length)
  }

  /** Requests the emulator answered 429, of its logged `/users/track` requests. */
  trackAnswers(): { requests: number; refused: number } {
    const tracks = this.braze.requests().filter((r) => r.path === '/users/track')
    return { requests: tracks.length, refused: tracks.filter((r) => r.status === 429).length }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => (w.child.exitCode === null ? (w.child.kill('SIGTERM'), w.exited) : w.exited)))
    await this.braze.stop()
    await this.sandbox.drop()
    await rm(this.dir, { recursive: true, force: true })
  }
}

function sync(name: string, table: string, object: string, behavior: string, rest: string): [string, string] {
  const limit = behavior === 'mirror' ? ' maxDeletes: 100%,' : ''
  return [
    name,
    `{ source: warehouse, model: { table: ${table} }, destination: braze, object: ${object}, behavior: ${behavior},${limit} ${rest} }`,
  ]
}

/** What `outflow run --json` printed, by sync. */
export function runResults(
  exit: CliExit,
): Record<string, { status: string; counts: Record<string, number>; reason?: string; skipped?: string }> {
  const parsed = JSON.parse(exit.stdout) as {
    results: { sync: string; status: string; counts: Record<string, number>; reason?: string; skipped?: string }[]
  }
  return Object.fromEntries(parsed.results.map((r) => [r.sync, r]))
}

/**
 * The servers the Temporal suites need (PostgreSQL, the dev server), whether they are here, and
 * `open`, which makes a workspace closed after each test.
 */
export function useTemporalWorkspaces(): { skip: boolean; open: (shape: WorkspaceShape) => Promise<TemporalWorkspace> } {
  const postgres = process.env['OUTFLOW_TEST_POSTGRES_URL']
  const temporal = temporalAddress()
  if (requiredServices().has('postgres') && postgres === undefined) throw new Error('CI requires PostgreSQL')
  let workspace: TemporalWorkspace | undefined
  afterEach(async () => {
    await workspace?.close()
    workspace = undefined
  })
  return {
    skip: postgres === undefined || temporal === undefined,
    open: async (shape) => (workspace = await TemporalWorkspace.create(postgres ?? '', temporal ?? '', shape)),
  }
}
