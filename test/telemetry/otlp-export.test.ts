import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

import { startBrazeEmulator, type BrazeEmulator } from '../../providers/emulators.js'
import { runCli } from '../helpers/run-cli.js'
import { sqlOnSpecsWarehouse } from '../helpers/specs-warehouse-sql.js'
import { OtlpReceiver, type ReceivedPoint, type ReceivedSpan } from './otlp-receiver.js'

/*
 * A real `outflow run` through the CLI, against a Braze emulator and an embedded DuckDB warehouse,
 * exporting to a local OTLP/HTTP receiver as it would to a collector. The model has six rows: five
 * to sync and one with a null key, refused before sending. The emulator answers the first request
 * with a 429, so the batch is sent twice.
 */

const API_KEY = 'telemetry-test-braze-key'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let braze: BrazeEmulator
let receiver: OtlpReceiver
let dir: string

beforeAll(async () => {
  braze = await startBrazeEmulator({ apiKeys: [API_KEY] })
  receiver = await OtlpReceiver.start()
})
afterAll(async () => {
  await braze.stop()
  await receiver.stop()
})
beforeEach(async () => {
  braze.reset()
  receiver.clear()
  dir = await mkdtemp(join(tmpdir(), 'outflow-telemetry-'))
  await write(
    'warehouse.yaml',
    `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: warehouse.duckdb }\n`,
  )
  await write(
    'destinations.yaml',
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze-prod }\nspec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: TELEMETRY_TEST_BRAZE_KEY } }\n`,
  )
  await write(
    'users.yaml',
    `apiVersion: outflow/v1
kind: Sync
metadata: { name: braze-users }
spec:
  source: warehouse
  model: { table: people }
  destination: braze-prod
  object: user
  behavior: upsert
  key: { column: id, field: external_id }
  mappings:
    - { column: email }
`,
  )
  await sqlOnSpecsWarehouse(dir, `create table people as select 'u' || i as id, 'u' || i || '@example.com' as email from range(1, 6) t(i)`)
  await sqlOnSpecsWarehouse(dir, `insert into people values (null, 'nobody@example.com')`)
  vi.stubEnv('TELEMETRY_TEST_BRAZE_KEY', API_KEY)
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await rm(dir, { recursive: true, force: true })
})

async function write(file: string, text: string): Promise<void> {
  await writeFile(join(dir, file), text)
}

function spanNamed(name: string): ReceivedSpan {
  const found = receiver.spans.filter((span) => span.name === name)
  expect(found, `one span named "${name}"`).toHaveLength(1)
  return found[0]!
}

/** The value of the one point of `metric` whose attributes include `where`. */
function valueOf(metric: string, where: Record<string, unknown>): number | undefined {
  const points = receiver.metric(metric).filter((point) => Object.entries(where).every(([key, value]) => point.attributes[key] === value))
  expect(points.length, `points of ${metric} with ${JSON.stringify(where)}`).toBeLessThanOrEqual(1)
  return points[0]?.value
}

function total(points: readonly ReceivedPoint[]): number {
  return points.reduce((sum, point) => sum + (point.value ?? 0), 0)
}

describe('outflow run with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  beforeEach(() => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url)
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json')
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'deployment.environment.name=test')
    braze.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 0, match: { path: '/users/track' } }])
  })

  it('exports a run span with its diff and request spans as children, before the command returns', async () => {
    const run = await runCli('run', '--from-dir', dir)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)

    const runSpan = spanNamed('run braze-users')
    expect(runSpan.parentSpanId).toBeUndefined()
    expect(runSpan.resource).toMatchObject({ 'service.name': 'outflow', 'deployment.environment.name': 'test' })
    expect(runSpan.attributes).toMatchObject({
      'outflow.sync': 'braze-users',
      'outflow.source': 'warehouse',
      'outflow.destination': 'braze-prod',
      'outflow.vendor': 'braze',
      'outflow.object': 'user',
      'outflow.behavior': 'upsert',
      'outflow.run.status': 'succeeded',
      'outflow.rows.added': 5,
      'outflow.rows.synced': 5,
      'outflow.rows.rejected': 1,
      'outflow.run.retries': 1,
      'outflow.run.rate_limited': 1,
    })
    expect(runSpan.attributes['outflow.run.id']).toMatch(/^[0-9a-f-]{36}$/)

    const diff = spanNamed('diff braze-users')
    expect(diff).toMatchObject({ traceId: runSpan.traceId, parentSpanId: runSpan.spanId })
    expect(diff.attributes).toMatchObject({ 'outflow.diff.added': 5, 'outflow.diff.changed': 0, 'outflow.diff.rejected': 1 })

    const requests = receiver.spans.filter((span) => span.name === 'POST /users/track')
    expect(requests.map((span) => span.attributes['http.response.status_code'])).toEqual(braze.requests().map((r) => r.status))
    expect(requests.map((span) => span.attributes['http.request.resend_count'])).toEqual([undefined, 1])
    for (const span of requests) {
      expect(span).toMatchObject({ traceId: runSpan.traceId, parentSpanId: runSpan.spanId, kind: 3 })
      expect(span.attributes).toMatchObject({
        'outflow.vendor': 'braze',
        'outflow.destination': 'braze-prod',
        'outflow.sync': 'braze-users',
        'http.request.method': 'POST',
        'url.template': '/users/track',
        'server.address': '127.0.0.1',
      })
    }
    expect(requests.map((span) => [span.statusCode, span.attributes['error.type']])).toEqual([
      [2, '429'],
      [0, undefined],
    ])
  })

  it('exports metrics that match the run: rows by outcome, requests by status, 429s, retries, durations', async () => {
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    const sync = {
      'outflow.sync': 'braze-users',
      'outflow.source': 'warehouse',
      'outflow.destination': 'braze-prod',
      'outflow.vendor': 'braze',
    }

    const rows = receiver.metric('outflow.rows')
    expect(rows.every((point) => point.unit === '{row}' && point.attributes['outflow.sync'] === 'braze-users')).toBe(true)
    expect(Object.fromEntries(rows.map((point) => [point.attributes['outflow.row.outcome'], point.value]))).toEqual({
      synced: 5,
      rejected: 1,
      failed: 0,
      unknown: 0,
      baselined: 0,
    })
    // Every row of the model has an outcome: five synced, the one with a null key rejected.
    expect(total(rows)).toBe(6)

    const log = braze.requests()
    expect(total(receiver.metric('outflow.requests'))).toBe(log.length)
    for (const status of new Set(log.map((entry) => entry.status))) {
      const answered = log.filter((entry) => entry.status === status).length
      expect(valueOf('outflow.requests', { 'http.response.status_code': status, 'url.template': '/users/track' })).toBe(answered)
    }
    const request = {
      'outflow.sync': 'braze-users',
      'outflow.destination': 'braze-prod',
      'outflow.vendor': 'braze',
      'url.template': '/users/track',
    }
    expect(valueOf('outflow.requests.rate_limited', request)).toBe(1)
    expect(valueOf('outflow.requests.retries', request)).toBe(1)
    expect(receiver.metric('http.client.request.duration').reduce((sum, point) => sum + (point.count ?? 0), 0)).toBe(log.length)

    const [duration] = receiver.metric('outflow.run.duration')
    expect(duration).toMatchObject({ unit: 's', count: 1, attributes: { ...sync, 'outflow.run.status': 'succeeded' } })
    const [sinceSuccess] = receiver.metric('outflow.sync.time_since_last_success')
    expect(sinceSuccess).toMatchObject({ unit: 's', attributes: sync })
    expect(sinceSuccess?.value).toBeGreaterThanOrEqual(0)
    expect(sinceSuccess?.value).toBeLessThan(30)
  })

  it('exports a verify span per sync, the parent of its read requests', async () => {
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    receiver.clear()
    const verify = await runCli('verify', '--from-dir', dir)
    expect(verify.code).toBe(0)
    const span = spanNamed('verify braze-users')
    expect(span.attributes).toMatchObject({
      'outflow.sync': 'braze-users',
      'outflow.verify.outcome': 'checked',
      'outflow.verify.in_sync': 5,
    })
    const reads = receiver.spans.filter((read) => read.name === 'POST /users/export/ids')
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.every((read) => read.parentSpanId === span.spanId && read.attributes['http.response.status_code'] === 201)).toBe(true)
  })

  it('exports no credential, model value or row key', async () => {
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    const exported = JSON.stringify([receiver.spans, receiver.points])
    expect(receiver.spans.length).toBeGreaterThan(0)
    expect(exported).not.toContain(API_KEY)
    expect(exported).not.toContain('@example.com')
    expect(exported).not.toMatch(/"u\d"/)
  })

  it('sends OTLP protobuf by default, to /v1/traces and /v1/metrics under the endpoint', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', undefined)
    expect((await runCli('run', '--from-dir', dir)).code).toBe(0)
    expect(receiver.requests.map((r) => [r.path, r.contentType]).sort()).toEqual([
      ['/v1/metrics', 'application/x-protobuf'],
      ['/v1/traces', 'application/x-protobuf'],
    ])
    expect(receiver.requests.every((r) => r.bytes > 0)).toBe(true)
  })

  it('leaves traces out with OTEL_TRACES_EXPORTER=none, and says which variable it cannot honour', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'none')
    vi.stubEnv('OTEL_METRICS_EXPORTER', 'otlp,prometheus')
    const run = await runCli('run', '--from-dir', dir)
    expect(run.code).toBe(0)
    expect(run.stderr).toBe(
      'outflow: telemetry: OTEL_METRICS_EXPORTER=prometheus is not supported: Outflow exports metrics with otlp (OTLP over HTTP) or none\n',
    )
    expect(receiver.spans).toEqual([])
    expect(valueOf('outflow.rows', { 'outflow.row.outcome': 'synced' })).toBe(5)
  })
})

/**
 * Runs `outflow run` in a process of its own, from the sources, with only `env` (and PATH, HOME),
 * and resolves to its output and the OpenTelemetry modules it loaded (a module hook records them).
 */
async function runInProcess(env: Record<string, string>): Promise<{ code: number | null; output: string; modules: string[] }> {
  const recorder = join(dir, 'record-modules.mjs')
  const record = join(dir, 'modules.json')
  await writeFile(
    recorder,
    `import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'
const loaded = new Set()
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context)
    if (result.url.includes('/@opentelemetry/')) loaded.add(result.url)
    return result
  },
})
process.on('exit', () => writeFileSync(${JSON.stringify(record)}, JSON.stringify([...loaded])))
`,
  )
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', recorder, 'src/cli/bin.ts', 'run', '--from-dir', dir], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', TELEMETRY_TEST_BRAZE_KEY: API_KEY, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.once('error', reject)
    child.once('close', (exitCode) => resolve({ code: exitCode, output: text }))
  })
  return { code, output, modules: JSON.parse(await readFile(record, 'utf8')) as string[] }
}

describe('outflow run in a process of its own', () => {
  it('exports nothing and loads no OpenTelemetry module without OTEL_* variables', async () => {
    const run = await runInProcess({})
    expect(run.output).toContain('succeeded braze-users')
    expect(run.code).toBe(0)
    expect(braze.requests().length).toBeGreaterThan(0)
    expect(run.modules).toEqual([])
    expect(receiver.requests).toEqual([])
  })

  it('loads the SDK and exports before it exits when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const run = await runInProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })
    expect(run.code).toBe(0)
    expect(run.modules.some((url) => url.includes('/@opentelemetry/sdk-trace/'))).toBe(true)
    expect(spanNamed('run braze-users').attributes['outflow.run.status']).toBe('succeeded')
    expect(valueOf('outflow.rows', { 'outflow.row.outcome': 'synced' })).toBe(5)
  })
})
