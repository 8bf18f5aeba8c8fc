import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { delimiter, dirname, join, relative, resolve, sep } from 'node:path'

import { describeResult, runProcess, type ProcessResult } from './pulumi-cli.js'

/*
 * The package as a user gets it: this repository packed by `npm pack`, installed with npm from
 * the registry into a project of its own, outside the repository, so that nothing resolves from
 * the repository's node_modules.
 */

/** The environment npm runs in: this Node first, and none of the `npm_*` settings of an `npm test` around us. */
export function npmEnv(): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')))
  return { ...(env as Record<string, string>), PATH: [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter) }
}

/** Runs npm in `cwd`; throws with everything it printed unless it exits 0. */
export async function npm(args: readonly string[], cwd: string, timeoutMs = 240_000): Promise<ProcessResult> {
  const result = await runProcess('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, env: npmEnv(), timeoutMs })
  if (result.code !== 0) throw new Error(`npm failed:\n${describeResult(result)}`)
  return result
}

/**
 * Packs the repository at `root` into `destination` as `npm publish` would, without its scripts
 * (`npm test` has just built dist/), and returns the tarball's path.
 */
export async function packRepository(root: string, destination: string): Promise<string> {
  const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', destination], root)
  const [packed] = JSON.parse(stdout) as { filename: string }[]
  if (packed === undefined) throw new Error(`npm pack printed no tarball: ${stdout}`)
  return join(destination, packed.filename)
}

/** The newest release of `name` in major version `major`, asked of the registry. */
export async function newestRelease(name: string, major: number, cwd: string): Promise<string> {
  const { stdout } = await npm(['view', `${name}@${major}`, 'version', '--json'], cwd)
  const versions = [JSON.parse(stdout) as string | string[]].flat()
  const newest = versions.sort(compareVersions).at(-1)
  if (newest === undefined) throw new Error(`the registry has no ${name}@${major}`)
  return newest
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number))
  for (let i = 0; i < 3; i++) if (x?.[i] !== y?.[i]) return (x?.[i] ?? 0) - (y?.[i] ?? 0)
  return 0
}

/** Writes `dir/package.json` with these dependencies, then `npm install`s them. */
export async function installProject(dir: string, dependencies: Readonly<Record<string, string>>): Promise<void> {
  const manifest = { name: 'outflow-user-project', version: '1.0.0', private: true, type: 'module', dependencies }
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  await npm(['install'], dir)
}

/** Every installed copy of package `name` below `nodeModules`, as paths relative to it, with their versions. */
export async function installedCopies(nodeModules: string, name: string): Promise<{ path: string; version: string }[]> {
  const copies: { path: string; version: string }[] = []
  for (const entry of await readdir(nodeModules, { recursive: true })) {
    const dir = dirname(entry)
    if (!entry.endsWith('/package.json') || (dir !== name && !dir.endsWith(`/node_modules/${name}`))) continue
    const manifest = JSON.parse(await readFile(join(nodeModules, entry), 'utf8')) as { name?: string; version: string }
    if (manifest.name === name) copies.push({ path: join('node_modules', dir), version: manifest.version })
  }
  return copies
}

/**
 * What in the installed package at `dir` points at a file it does not have: a source map's
 * `sources`, or a `sourceMappingURL` comment in a script or declaration file.
 */
export async function danglingSourceMapReferences(dir: string): Promise<string[]> {
  const dangling: string[] = []
  for (const entry of await readdir(dir, { recursive: true })) {
    // Dependencies npm nested under the package (a version the project's own copy does not satisfy) ship their own maps.
    if (entry.split(sep).includes('node_modules')) continue
    const file = join(dir, entry)
    if (entry.endsWith('.map')) {
      const map = JSON.parse(await readFile(file, 'utf8')) as { sourceRoot?: string; sources?: string[] }
      for (const source of map.sources ?? []) {
        const target = resolve(dirname(file), map.sourceRoot ?? '', source)
        if (!existsSync(target)) dangling.push(`${entry} -> ${relative(dir, target)}`)
      }
    } else if (/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(entry)) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(await readFile(file, 'utf8'))?.[1]
      if (url !== undefined && !url.startsWith('data:') && !existsSync(resolve(dirname(file), url))) dangling.push(`${entry} -> ${url}`)
    }
  }
  return dangling
}
