import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'

import { describe, expect, it } from 'vitest'

import { OLDEST_NODE, RECOMMENDED_NODE_MAJOR, unsupportedNode } from '../../src/util/supported-node.js'
import { CLI_BIN } from '../engine/helpers/cli-process.js'

/*
 * Node older than the dependencies need must stop with a message that says so: `npm install`
 * with npm's own engine error, the CLI with its own before it loads anything else.
 */

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>
  engines: { node: string }
  devEngines: { runtime: { name: string; version: string; onFail: string } }
}
const oldest = `${String(OLDEST_NODE.major)}.${String(OLDEST_NODE.minor)}`

/** A Node older than Outflow needs, to run the built CLI with: the machine's own, where it is one. */
const OLD_NODE = process.env['OUTFLOW_TEST_OLD_NODE'] ?? '/usr/bin/node'
const oldNodeVersion = existsSync(OLD_NODE) ? (await promisify(execFile)(OLD_NODE, ['--version'])).stdout.trim().slice(1) : undefined
const hasOldNode = oldNodeVersion !== undefined && unsupportedNode(oldNodeVersion) !== undefined

describe('unsupportedNode', () => {
  it('accepts the oldest supported Node and anything newer', () => {
    for (const version of [`${oldest}.0`, '22.20.1', '23.0.0', '24.21.0', '26.1.0']) expect(unsupportedNode(version)).toBeUndefined()
  })

  it('names the Node it needs and the one it found', () => {
    expect(unsupportedNode('22.18.9')).toBe(
      `Node.js ${oldest} or newer is required, and this is Node.js 22.18.9: install Node.js 24 (with nvm: \`nvm install 24\`) and run it with that`,
    )
    expect(unsupportedNode('20.20.2')).toContain('and this is Node.js 20.20.2')
    expect(unsupportedNode('18.0.0')).toBeDefined()
  })
})

describe('the declared Node', () => {
  it('is the same in engines, devEngines and the CLI check; .nvmrc names a supported one', () => {
    expect(manifest.engines.node).toBe(`>=${oldest}`)
    expect(manifest.devEngines.runtime).toEqual({ name: 'node', version: `>=${oldest}`, onFail: 'error' })
    expect(readFileSync('.nvmrc', 'utf8').trim()).toBe(String(RECOMMENDED_NODE_MAJOR))
    expect(unsupportedNode(`${String(RECOMMENDED_NODE_MAJOR)}.0.0`)).toBeUndefined()
    // npm before 10.9 ignores devEngines; engine-strict makes every npm stop on engines instead of warning.
    expect(readFileSync('.npmrc', 'utf8')).toMatch(/^engine-strict=true$/m)
  })

  it('is at least what every runtime dependency needs (undici 8: 22.19)', () => {
    const needs = Object.keys(manifest.dependencies).map((name) => {
      const dependency = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { engines?: { node?: string } }
      const floor = /^>=\s*(\d+)(?:\.(\d+))?/.exec(dependency.engines?.node ?? '')
      return { name, major: Number(floor?.[1] ?? 0), minor: Number(floor?.[2] ?? 0) }
    })
    const newest = needs.reduce((a, b) => (b.major > a.major || (b.major === a.major && b.minor > a.minor) ? b : a))
    expect(`${newest.name} >=${String(newest.major)}.${String(newest.minor)}`).toBe(`undici >=${oldest}`)
  })
})

describe.skipIf(!hasOldNode)(`the built CLI on Node ${oldNodeVersion ?? '(none older found)'}`, () => {
  it('exits 1 and says which Node it needs and which it found, whatever the command', async () => {
    for (const args of [['--version'], ['plan', '--format', 'markdown'], ['run', '--from-dir', 'syncs']]) {
      const ran = await promisify(execFile)(OLD_NODE, [CLI_BIN, ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (error: unknown) => error as { code: number; stderr: string },
      )
      expect(ran.code, args.join(' ')).toBe(1)
      expect(ran.stderr).toBe(`outflow: ${unsupportedNode(oldNodeVersion ?? '') ?? ''}\n`)
    }
  })
})
