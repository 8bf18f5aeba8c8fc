import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { expect, it } from 'vitest'

/*
 * Data flows one way, so folders depend one way: model and util at the bottom, destinations (the
 * contracts) above them, each vendor's folder above that, the registry above the vendors, then
 * spec, warehouse, engine, and the CLI and Pulumi on top. A folder that imports a folder which
 * imports it back is a knot a newcomer cannot read in order.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The folder a file belongs to, for this check: `src/<dir>`, `providers/<vendor>`, or the file itself at a top level. */
function unitOf(file: string): string {
  const parts = relative(ROOT, file).split('/')
  return parts.length > 2 ? `${parts[0] ?? ''}/${parts[1] ?? ''}` : parts.join('/')
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Folder-level import edges, each with one file import that makes it. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>()
  for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'providers'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), match[1] ?? '')
      const [from, to] = [unitOf(file), unitOf(target)]
      if (from === to) continue
      const edges = graph.get(from) ?? new Map<string, string>()
      if (!edges.has(to)) edges.set(to, `${relative(ROOT, file)} imports ${match[1] ?? ''}`)
      graph.set(from, edges)
    }
  }
  return graph
}

/** A cycle through `start`, as the imports that make it, or undefined. */
function cycleFrom(graph: Map<string, Map<string, string>>, start: string): string[] | undefined {
  const path: string[] = []
  const seen = new Set<string>()
  const visit = (unit: string): boolean => {
    for (const [next, why] of graph.get(unit) ?? []) {
      path.push(why)
      if (next === start) return true
      if (!seen.has(next)) {
        seen.add(next)
        if (visit(next)) return true
      }
      path.pop()
    }
    return false
  }
  return visit(start) ? path : undefined
}

it('has no import cycle between folders', () => {
  const graph = folderGraph()
  const cycles = [...graph.keys()].flatMap((unit) => {
    const cycle = cycleFrom(graph, unit)
    return cycle === undefined ? [] : [`${unit}: ${cycle.join(' -> ')}`]
  })
  expect(cycles).toEqual([])
})

it('keeps every vendor in one folder of the same shape, registered once', () => {
  const registry = readFileSync(join(ROOT, 'providers/registry.ts'), 'utf8')
  const vendors = readdirSync(join(ROOT, 'providers'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
  expect(vendors.length).toBeGreaterThan(0)
  for (const vendor of vendors) {
    const files = readdirSync(join(ROOT, 'providers', vendor))
    for (const part of ['catalog', 'connector', 'answers', 'errors', 'limits', 'reader']) expect(files).toContain(`${vendor}-${part}.ts`)
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'README.md', 'emulator']))
    expect(registry).toMatch(new RegExp(`^  ${vendor}: ${vendor}Vendor,$`, 'm'))
  }
})
