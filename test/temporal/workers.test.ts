import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { CliProcess, waitUntil } from '../engine/helpers/cli-process.js'
import { temporalBin } from '../helpers/temporal-service.js'
import { runResults, useTemporalWorkspaces } from './temporal-workspace.js'

/*
 * Runs spread over `outflow worker` processes through the Temporal dev server, driven the way a
 * team runs them: workers and `outflow run --temporal-address` are separate processes, the
 * warehouse is PostgreSQL, the destination an emulator whose limit the destination declares.
 */

const { skip, open } = useTemporalWorkspaces()

describe.skipIf(skip)('outflow worker (Temporal)', { timeout: 120_000 }, () => {
  it('spreads one sync and two syncs of one connection over two workers, within the destination limit', async () => {
    const ws = await open({ users: 4500, usersB: 3000, rate: 20 })
    await ws.startWorker()
    await ws.startWorker()
    const run = await ws.startRun().exited
    expect(run.code, run.stderr).toBe(0)
    const results = runResults(run)
    expect(results['braze-users']).toMatchObject({ status: 'succeeded', counts: { added: 4500, synced: 4500 } })
    expect(results['braze-users-b']).toMatchObject({ status: 'succeeded', counts: { added: 3000, synced: 3000 } })
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
    expect(ws.brazeUsers('b')).toEqual(await ws.modelUsers('users_b'))
    // Both workers delivered pages, and the two syncs together kept to 20 requests a second.
    expect(ws.pagesPerWorker().every((pages) => pages > 0)).toBe(true)
    const answers = ws.trackAnswers()
    expect(answers.requests).toBeGreaterThanOrEqual((4500 + 3000) / 75)
    expect(answers.refused).toBeLessThanOrEqual(2)

    // The next run sends only what changed, deletes included.
    await ws.sandbox.query(`delete from app.users where score <= 100`)
    await ws.sandbox.query(`update app.users set score = score + 1 where score > 4400`)
    const again = runResults(await ws.startRun('braze-users').exited)
    expect(again['braze-users']).toMatchObject({ status: 'succeeded', counts: { changed: 100, removed: 100, synced: 200 } })
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
  })

  it('loses nothing when a worker is killed mid-run: the destination equals the model and no event arrives twice', async () => {
    const ws = await open({ users: 3000, events: 3000, rate: 10 })
    const doomed = await ws.startWorker()
    const run = ws.startRun()
    // Once the only worker has delivered a page and sent a request of the next, kill it mid-page.
    await waitUntil(() => doomed.stdout.includes('delivered page'), 'a first page', run, 60_000)
    const sent = ws.braze.requests().length
    await waitUntil(() => ws.braze.requests().length > sent, 'a request of the next page', run)
    await doomed.kill()
    const survivor = await ws.startWorker()
    const exit = await run.exited
    expect(exit.code, exit.stdout + exit.stderr).toBeLessThanOrEqual(1)
    const results = runResults(exit)
    expect(results['braze-users']?.status).toBe('succeeded')
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
    // Events: none twice; each one arrived or is reported as of unknown outcome.
    const arrived = ws.braze.state().events.map((e) => String(e.properties['event_id']))
    expect(new Set(arrived).size).toBe(arrived.length)
    const events = results['braze-events']
    // An event of unknown outcome may have arrived too (the worker died before recording it): at most a page of them.
    const unknown = events?.counts['unknown'] ?? 0
    expect(arrived.length).toBeLessThanOrEqual(3000)
    expect(arrived.length + unknown).toBeGreaterThanOrEqual(3000)
    expect(unknown).toBeLessThanOrEqual(750)
    // The killed worker's page was given to the survivor, which skipped what had been recorded.
    expect(survivor.stdout).toMatch(/delivered page \d+ of braze-(users|events) \(run [^)]*, attempt [2-9]\)/)
    // The next run has nothing left to send and sends no event again.
    const next = runResults(await ws.startRun().exited)
    expect(next['braze-users']).toMatchObject({ status: 'succeeded', counts: { synced: 0 } })
    expect(ws.braze.state().events).toHaveLength(arrived.length)
  })

  it('hands the rest of a page back to the queue after a 429, sending and counting every row once', async () => {
    const ws = await open({ users: 3000, rate: 10 })
    const worker = await ws.startWorker()
    const run = ws.startRun()
    await waitUntil(() => worker.stdout.includes('delivered page'), 'a first page', run, 60_000)
    // Another client on the connection spends the vendor's window: the next two requests are refused.
    ws.braze.setFaults([{ kind: 'status', status: 429, retryAfterSeconds: 1, count: 2, match: { path: '/users/track' } }])
    const exit = await run.exited
    expect(exit.code, exit.stderr).toBe(0)
    const result = (JSON.parse(exit.stdout) as { results: { counts: Record<string, number>; rateLimited: number; retries: number }[] })
      .results[0]
    expect(result?.counts).toMatchObject({ added: 3000, synced: 3000, failed: 0, rejected: 0 })
    expect(result?.rateLimited).toBeGreaterThanOrEqual(1)
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
    // The page stopped at the 429 and its rest went through the queue again, not retried in place.
    expect(worker.stdout).toMatch(/handed back after a 429/)
    const answers = ws.trackAnswers()
    expect(answers.refused).toBeGreaterThanOrEqual(2)
    // 40 requests of 75 users, those refused, and at most one more for each page resumed mid-batch.
    expect(answers.requests).toBeLessThanOrEqual(40 + 2 * answers.refused)
  })

  it('gives pages to a worker that joins mid-run', async () => {
    const ws = await open({ users: 15_000, rate: 10 })
    const first = await ws.startWorker()
    const run = ws.startRun()
    await waitUntil(() => first.stdout.includes('delivered page'), 'a first page', run, 60_000)
    const late = await ws.startWorker('--log-format', 'json')
    const exit = await run.exited
    expect(runResults(exit)['braze-users']).toMatchObject({ status: 'succeeded', counts: { synced: 15_000 } })
    // The late worker logs one JSON object per line; its pages are among them.
    const events = late.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    const pages = events.filter((e) => e['event'] === 'page_delivered')
    expect(pages.length).toBeGreaterThan(0)
    expect(pages[0]).toMatchObject({ level: 'info', sync: 'braze-users', counts: { rows: 750, synced: 750, not_synced: 0 }, attempt: 1 })
    expect(events[0]).toMatchObject({ event: 'worker_started', task_queue: ws.taskQueue })
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
  })

  it('continues a long run in fresh histories, counting every page once', async () => {
    const ws = await open({ users: 6000, rate: 10 })
    await ws.startWorker()
    // A history of at most about 40 events: a new one every few pages.
    const run = await CliProcess.run(['run', '--from-dir', ws.dir, ...ws.temporalArgs, '--json'], {
      ...ws.env,
      OUTFLOW_TEMPORAL_HISTORY_EVENTS: '40',
    })
    expect(run.code, run.stderr).toBe(0)
    expect(runResults(run)['braze-users']).toMatchObject({ status: 'succeeded', counts: { added: 6000, synced: 6000, failed: 0 } })
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
    const history = spawnSync(
      join(temporalBin() ?? '', 'temporal'),
      ['workflow', 'list', '--address', ws.address, '--query', `WorkflowId = 'outflow/warehouse/braze-users'`],
      { encoding: 'utf8' },
    )
    if (temporalBin() !== undefined) expect(history.stdout).toMatch(/ContinuedAsNew/)
  })

  it('keeps one run per sync: a second run of a sync under way is skipped', async () => {
    const ws = await open({ users: 3000, rate: 10 })
    await ws.startWorker()
    const first = ws.startRun()
    await waitUntil(() => ws.braze.requests().length > 0, 'the first run to send', first, 60_000)
    const second = runResults(await ws.startRun().exited)
    expect(second['braze-users']).toMatchObject({ status: 'skipped' })
    expect(second['braze-users']?.skipped).toMatch(/a run of this sync is under way on the workers/)
    expect(runResults(await first.exited)['braze-users']).toMatchObject({ status: 'succeeded', counts: { synced: 3000 } })
  })

  it('says clearly when the Temporal server cannot be reached', async () => {
    const ws = await open({ users: 10, rate: 10 })
    const run = await CliProcess.run(['run', '--from-dir', ws.dir, '--temporal-address', '127.0.0.1:1', '--json'], ws.env)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^outflow: cannot reach the Temporal server at 127\.0\.0\.1:1 \(namespace "default"\): .*; start it or check --temporal-address/,
    )
    const worker = await CliProcess.run(['worker', '--dir', ws.dir, '--temporal-address', '127.0.0.1:1'], ws.env)
    expect(worker.code).toBe(1)
    expect(worker.stderr).toMatch(/^outflow: cannot reach the Temporal server at 127\.0\.0\.1:1 \(namespace "default"\)/)
    expect(ws.braze.requests()).toHaveLength(0)
  })
})
