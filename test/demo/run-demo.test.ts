import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { expect, it, onTestFinished } from 'vitest'

import { runDemo } from '../../src/demo/run-demo.js'

/* `npm run demo` as a newcomer sees it, on a copy of syncs/ so the test leaves .outflow/ alone. */
it('syncs the sample data, then only the changes, then nothing', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-demo-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  await cp('syncs', dir, { recursive: true })
  const warehouse = join(dir, 'warehouse.yaml')
  await writeFile(warehouse, (await readFile(warehouse, 'utf8')).replace('../.outflow/demo.duckdb', 'demo.duckdb'))
  const lines: string[] = []

  const demo = await runDemo(dir, (line) => lines.push(line))

  const counts = (results: typeof demo.first) => Object.fromEntries(results.map((r) => [r.sync, [r.status, r.counts.synced]]))
  expect(counts(demo.first)).toEqual({
    'loops-contacts': ['succeeded', 79],
    'braze-users': ['succeeded', 80],
    'braze-events': ['succeeded', 0],
    'clevertap-profiles': ['succeeded', 79],
    'clevertap-events': ['succeeded', 26],
    'courier-profiles': ['succeeded', 80],
    'courier-newsletter': ['succeeded', 32],
  })
  expect(demo.first.find((r) => r.sync === 'braze-events')?.counts.baselined).toBe(411)
  // The day of changes: 5 sign-ups, 7 or 8 changed users, 1 unsubscribe, 20 events.
  const second = Object.fromEntries(demo.second.map((r) => [r.sync, r.counts]))
  expect(second['braze-users']).toMatchObject({ added: 5, changed: 7, removed: 0, synced: 12 })
  expect(second['courier-newsletter']).toMatchObject({ added: 2, removed: 1, synced: 3 })
  expect(second['braze-events']).toMatchObject({ added: 20, synced: 20 })
  expect(second['clevertap-events']).toMatchObject({ added: 2, synced: 2 })
  expect(demo.requests[1]).toMatchObject({ braze: 2, courier: 12 })
  // Nothing changed: nothing sent, except the one profile CleverTap refused, which is tried again.
  expect(demo.third.every((r) => r.status === 'succeeded' && r.counts.synced === 0)).toBe(true)
  expect(demo.requests[2]).toEqual({ loops: 0, braze: 0, clevertap: 1, courier: 0 })
  expect(lines.join('\n')).toContain('Run 2: only the changes are sent')
})
