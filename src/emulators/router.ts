/** What a router needs of a route: its method and a path pattern such as `/lists/:listId`. */
export interface RoutePattern {
  readonly method: string
  readonly path: string
}

/** The result of looking up a request's method and path. */
export type RouteLookup<R> =
  { kind: 'found'; route: R; params: Record<string, string> } | { kind: 'method-not-allowed'; allowed: string[] } | { kind: 'not-found' }

interface CompiledRoute<R> {
  route: R
  segments: readonly string[]
  literals: number
}

/**
 * Matches `METHOD /path` against route patterns. A `:name` segment matches one non-empty path
 * segment and is passed decoded; when two patterns match, the one with more literal segments wins.
 */
export class Router<R extends RoutePattern> {
  readonly #routes: CompiledRoute<R>[]

  constructor(routes: readonly R[]) {
    this.#routes = routes.map((route) => {
      const segments = splitPath(route.path)
      return { route, segments, literals: segments.filter((s) => !s.startsWith(':')).length }
    })
  }

  /** Finds the route for a request; a known path with another method is `method-not-allowed` (405). */
  find(method: string, path: string): RouteLookup<R> {
    const segments = splitPath(path)
    let best: { route: CompiledRoute<R>; params: Record<string, string> } | undefined
    const allowed = new Set<string>()
    for (const candidate of this.#routes) {
      const params = matchSegments(candidate.segments, segments)
      if (params === undefined) continue
      if (candidate.route.method !== method) {
        allowed.add(candidate.route.method)
        continue
      }
      if (best === undefined || candidate.literals > best.route.literals) best = { route: candidate, params }
    }
    if (best !== undefined) return { kind: 'found', route: best.route.route, params: best.params }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed].sort() } : { kind: 'not-found' }
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '')
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, part] of pattern.entries()) {
    const value = actual[index] ?? ''
    if (part.startsWith(':')) {
      const decoded = safeDecode(value)
      if (decoded === undefined) return undefined
      params[part.slice(1)] = decoded
    } else if (part !== value) {
      return undefined
    }
  }
  return params
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value)
  } catch {
    // A malformed escape (`%E0%A4%A`) names no resource: treat the path as unknown.
    return undefined
  }
}
