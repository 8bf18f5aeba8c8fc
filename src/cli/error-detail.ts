import { inspect } from 'node:util'

/** Causes followed at most: enough for a driver error inside a wrapper, never a loop. */
const MAX_CAUSES = 5

/**
 * What `--verbose` adds below an error's message: its stack, then each cause's stack (or value),
 * as `caused by: …` lines. Empty for a value that is not an `Error`. Causes are printed as their
 * libraries wrote them, so this is for the person running the command, not for public logs.
 */
export function errorDetail(error: unknown): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; depth <= MAX_CAUSES && current !== undefined; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : inspect(current)
    lines.push(depth === 0 ? text : `caused by: ${text}`)
    current = current instanceof Error ? current.cause : undefined
  }
  return error instanceof Error ? lines.join('\n') + '\n' : ''
}
