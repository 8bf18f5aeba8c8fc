import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { expect, it, onTestFinished } from 'vitest'

import { demoCommand } from '../../src/demo/demo-command.js'

/** A copy of syncs/ with two of its syncs, the demo warehouse inside the copy. */
async function demoSpecs(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-demo-exit-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  for (const file of ['warehouse.yaml', 'destinations.yaml', 'braze-users.yaml', 'courier-profiles.yaml'])
    await cp(join('syncs', file), join(dir, file))
  const warehouse = join(dir, 'warehouse.yaml')
  await writeFile(warehouse, (await readFile(warehouse, 'utf8')).replace('../.outflow/demo.duckdb', 'demo.duckdb'))
  return dir
}

async function runDemoCommand(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await demoCommand(dir, { print: (line) => (stdout += `${line}\n`), stderr: (text) => (stderr += text) })
  return { code, stdout, stderr }
}

it('exits 0 when every sync of every round succeeds', { timeout: 60_000 }, async () => {
  const demo = await runDemoCommand(await demoSpecs())
  expect(demo.stderr).toBe('')
  expect(demo.code).toBe(0)
})

it('exits 1 and names the sync when a sync fails, though the others ran', { timeout: 60_000 }, async () => {
  const dir = await demoSpecs()
  const users = join(dir, 'braze-users.yaml')
  await writeFile(users, (await readFile(users, 'utf8')).replace('from users', 'from no_such_table'))

  const demo = await runDemoCommand(dir)

  expect(demo.code).toBe(1)
  expect(demo.stdout).toMatch(/braze-users +failed/)
  expect(demo.stdout).toMatch(/courier-profiles +succeeded/)
  expect(demo.stderr).toBe('demo failed: 3 sync runs did not succeed: braze-users (failed)\n')
})

it('exits 1 when the demo cannot start', async () => {
  const demo = await runDemoCommand(join(tmpdir(), 'outflow-no-such-dir'))
  expect(demo.code).toBe(1)
  expect(demo.stderr).toMatch(/^demo failed: /)
})
