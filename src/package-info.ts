import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The installed package's root directory and version, found from this file's location. */
export interface PackageInfo {
  root: string
  version: string
}

let cached: PackageInfo | undefined

/**
 * Finds Outflow's own package.json by walking up from this module: the same code runs from
 * `src/` in tests and from `dist/src/` when installed, at different depths.
 */
export function packageInfo(): PackageInfo {
  if (cached !== undefined) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (manifest.name === 'outflow') return (cached = { root: dir, version: manifest.version ?? '0.0.0' })
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the outflow package.json above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
}
