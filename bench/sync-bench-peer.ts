import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { EMULATOR_DEFAULT_CREDENTIALS } from '../providers/emulators.js'
import { MODEL_SCHEMA, type BrazeBenchBehavior } from './sync-bench-workspace.js'

/*
 * The peer of the sync benchmark: drt (`pip install 'drt-core[duckdb]'`, https://github.com/drt-hub/drt),
 * reverse ETL as code in Python, run on the same model against the same Braze emulator. drt has no
 * Braze destination; its generic `rest_api` destination posts to `/users/track` in `batch` mode,
 * 75 users a request (Braze's limit), one request at a time, which is how drt sends to any REST
 * API. It records nothing per row: a `full` sync reads the model and sends every row.
 */

/** Where the benchmark looks for drt when `--peer-bin` does not say: a virtualenv under `.tools/`. */
export const DEFAULT_PEER_BIN = fileURLToPath(new URL('../.tools/drt-venv/bin/drt', import.meta.url))

/** How to install the peer where {@link DEFAULT_PEER_BIN} finds it. */
export const PEER_INSTALL = `python3 -m venv .tools/drt-venv && .tools/drt-venv/bin/pip install 'drt-core[duckdb]'`

/** What a run of the peer reports. */
export interface PeerRun {
  /** drt's own time for the sync (read, render, send), as its JSON output reports it. */
  seconds: number
  /** The `drt run` process from start to exit, interpreter start included. */
  processSeconds: number
  /** Rows drt reports synced. */
  synced: number
  /** `drt --version`. */
  version: string
}

/** Why the peer cannot run (its executable is not at `bin`), or undefined when it can. */
export function peerMissing(bin: string): string | undefined {
  return existsSync(bin) ? undefined : `drt is not at ${bin}: install it with \`${PEER_INSTALL}\`, or name it with --peer-bin`
}

/** Rows per `load` call of drt's destination: a hundred requests of 75 share one HTTP client. */
const PEER_BATCH_ROWS = 7500

/**
 * Runs drt once: writes a drt project in `dir` (the profile pointing at `database`, a DuckDB file
 * of its own: drt's DuckDB may rewrite a file it opens in a newer storage format), then `drt run`
 * with its home in `dir`, so no configuration of the machine's user is read or written.
 */
export async function runPeer(bin: string, dir: string, database: string, url: string, behavior: BrazeBenchBehavior): Promise<PeerRun> {
  const missing = peerMissing(bin)
  if (missing !== undefined) throw new Error(missing)
  const home = join(dir, 'home')
  const project = join(dir, 'project')
  await mkdir(join(home, '.drt'), { recursive: true })
  await mkdir(join(project, 'syncs'), { recursive: true })
  await writeFile(join(home, '.drt', 'profiles.yml'), `bench:\n  type: duckdb\n  database: ${JSON.stringify(database)}\n`)
  await writeFile(join(project, 'drt_project.yml'), 'name: bench\nprofile: bench\n')
  await writeFile(join(project, 'syncs', 'braze_users.yml'), peerSync(url, behavior))
  const env = { ...process.env, HOME: home, DO_NOT_TRACK: '1', NO_COLOR: '1' }
  const version = (await capture(bin, ['--version'], project, env)).stdout.split('\n')[0]?.trim() ?? ''
  const started = performance.now()
  const run = await capture(bin, ['run', '--output', 'json'], project, env)
  const processSeconds = (performance.now() - started) / 1000
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
    syncs?: { status: string; rows_synced: number; duration_seconds: number }[]
  }
  const sync = report.syncs?.[0]
  if (run.code !== 0 || sync === undefined || sync.status !== 'success') {
    throw new Error(`drt run failed (exit ${run.code}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 500)}`)
  }
  return { seconds: sync.duration_seconds, processSeconds, synced: sync.rows_synced, version }
}

/**
 * The sync as drt configures it: the model's users with the user id as `external_id` and every
 * other column an attribute, as Outflow's `allColumns` mapping sends them (with
 * `_update_existing_only` for `update`, as Outflow sets it), in `/users/track` requests of 75; no
 * rate limit of drt's own (its default is 10 requests a second).
 */
function peerSync(url: string, behavior: BrazeBenchBehavior): string {
  const apiKey = EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey
  const updateOnly = behavior === 'update' ? ', true as _update_existing_only' : ''
  const model = `select cast(user_id as varchar) as external_id, * exclude (user_id)${updateOnly} from ${MODEL_SCHEMA}.users`
  return `name: braze_users
model: ${JSON.stringify(model)}
destination:
  type: rest_api
  url: ${JSON.stringify(`${url.replace(/\/+$/, '')}/users/track`)}
  method: POST
  headers:
    Authorization: ${JSON.stringify(`Bearer ${apiKey}`)}
    Content-Type: application/json
  body_mode: batch
  batch_template: '{"attributes": {{ rows | tojson_safe }}}'
  max_records_per_request: 75
sync:
  mode: full
  batch_size: ${PEER_BATCH_ROWS}
  rate_limit:
    requests_per_second: 1000000
`
}

function capture(
  bin: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}
