import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { CliProcess, waitUntil } from '../engine/helpers/cli-process.js'
import { temporalBin } from '../helpers/temporal-service.js'
import { runResults, useTemporalWorkspaces } from './temporal-workspace.js'

/*
 * Runs on workers that stop halfway: the Temporal server killed under them, and `outflow run
 * --temporal-address` stopped with Ctrl+C. Processes as a team runs them, PostgreSQL warehouse.
 */

const { skip, open } = useTemporalWorkspaces()

describe.skipIf(skip || temporalBin() === undefined)('outflow worker when the Temporal server goes away', { timeout: 120_000 }, () => {
  it('says so, and the next run (here a local one) leaves the destination equal to the model with no event twice', async () => {
    const server = await startOwnServer(temporalBin() ?? '')
    try {
      const ws = await open({ users: 6000, events: 1500, rate: 10 })
      const worker = CliProcess.start(
        ['worker', '--dir', ws.dir, '--temporal-address', server.address, '--task-queue', ws.taskQueue],
        ws.env,
      )
      await waitUntil(() => worker.stdout.includes('delivering for destination "braze"'), 'the worker to poll', worker, 60_000)
      const run = CliProcess.start(
        ['run', '--from-dir', ws.dir, '--temporal-address', server.address, '--task-queue', ws.taskQueue, '--lease-ttl', '3', '--json'],
        ws.env,
      )
      await waitUntil(() => worker.stdout.includes('delivered page'), 'a first page', run, 60_000)
      server.process.kill('SIGKILL')
      const exit = await run.exited
      expect(exit.code).toBe(1)
      const results = runResults(exit)
      for (const sync of ['braze-users', 'braze-events']) {
        expect(results[sync]?.reason).toMatch(
          /lost the Temporal server at 127\.0\.0\.1:\d+ while run outflow\/warehouse\/braze-\w+ was under way/,
        )
      }
      worker.child.kill('SIGKILL')
      await worker.exited
      // The workflows died with the server; once their leases expire, a local run finishes the job.
      await new Promise((resolve) => setTimeout(resolve, 3500))
      const local = await ws.cli('run', '--from-dir', ws.dir, '--json')
      expect(local.code, local.stdout + local.stderr).toBeLessThanOrEqual(1)
      expect(runResults(local)['braze-users']?.status).toBe('succeeded')
      expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
      const arrived = ws.braze.state().events.map((e) => String(e.properties['event_id']))
      expect(new Set(arrived).size).toBe(arrived.length)
      expect(arrived.length).toBeGreaterThan(0)
    } finally {
      server.process.kill('SIGKILL')
    }
  })
})

/** A dev server of the test's own, on a free port, to kill. */
async function startOwnServer(bin: string): Promise<{ address: string; process: ChildProcess }> {
  // A port the system says is free, rather than a random one that another server may hold.
  const port = await freePort()
  const child = spawn(
    join(bin, 'temporal'),
    ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--log-level', 'error'],
    {
      stdio: 'ignore',
    },
  )
  const address = `127.0.0.1:${port}`
  // A loaded CI machine may take a while to start it; a server that died says so at once.
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dev server on ${address} exited with ${String(child.exitCode)}`)
    const health = spawnSync(join(bin, 'temporal'), ['operator', 'cluster', 'health', '--address', address], { stdio: 'ignore' })
    if (health.status === 0) return { address, process: child }
    if (Date.now() > deadline) throw new Error(`the dev server on ${address} did not start`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe.skipIf(skip)('outflow run --temporal-address, stopped', { timeout: 120_000 }, () => {
  it('cancels its runs on Ctrl+C (exit 130, cancelled), and the next run sends the rest', async () => {
    const ws = await open({ users: 9000, rate: 10 })
    const worker = await ws.startWorker()
    const run = ws.startRun()
    await waitUntil(() => worker.stdout.includes('delivered page'), 'a first page', run, 60_000)
    run.child.kill('SIGINT')
    const exit = await run.exited
    expect(exit.code).toBe(130)
    const stopped = runResults(exit)['braze-users']
    expect(stopped?.status).toBe('cancelled')
    expect(stopped?.counts['synced']).toBeLessThan(9000)
    const next = runResults(await ws.startRun().exited)['braze-users']
    expect(next?.status).toBe('succeeded')
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
  })
})

/** A TCP port nothing listens on now, as the system hands one out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
