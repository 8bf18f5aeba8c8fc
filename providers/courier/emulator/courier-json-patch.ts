import { isRecord } from '../../../src/util/is-record.js'

/** One RFC 6902 operation, as `PATCH /profiles/{id}` takes it. */
export interface JsonPatchOperation {
  op: string
  path: string
  value?: unknown
  from?: string
}

/**
 * Applies RFC 6902 operations (`add`, `remove`, `replace`, `move`, `copy`, `test`) to a copy of
 * `document`; returns the patched copy, or the message of the first operation that fails (the
 * document is then left as it was).
 */
export function applyJsonPatch(
  document: Record<string, unknown>,
  operations: readonly JsonPatchOperation[],
): Record<string, unknown> | string {
  const root: { doc: unknown } = { doc: structuredClone(document) }
  for (const [index, operation] of operations.entries()) {
    const problem = applyOne(root, operation)
    if (problem !== undefined) return `patch operation ${index} (${operation.op} ${operation.path}): ${problem}`
  }
  return root.doc as Record<string, unknown>
}

function applyOne(root: { doc: unknown }, operation: JsonPatchOperation): string | undefined {
  switch (operation.op) {
    case 'add':
      return put(root, operation.path, operation.value, 'add')
    case 'replace':
      return get(root, operation.path) === undefined ? 'path does not exist' : put(root, operation.path, operation.value, 'replace')
    case 'remove':
      return take(root, operation.path)
    case 'test':
      return JSON.stringify(get(root, operation.path)) === JSON.stringify(operation.value) ? undefined : 'test failed'
    case 'copy':
    case 'move': {
      const from = operation.from ?? ''
      const value = get(root, from)
      if (value === undefined) return 'from path does not exist'
      const problem = operation.op === 'move' ? take(root, from) : undefined
      return problem ?? put(root, operation.path, structuredClone(value), 'add')
    }
    default:
      return `unknown op "${operation.op}"`
  }
}

function tokens(path: string): string[] | undefined {
  if (path === '') return []
  if (!path.startsWith('/')) return undefined
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function get(root: { doc: unknown }, path: string): unknown {
  const parts = tokens(path)
  return parts === undefined ? undefined : walk(root.doc, parts)
}

function walk(node: unknown, parts: readonly string[]): unknown {
  let current = node
  for (const token of parts) {
    if (Array.isArray(current)) current = current[Number(token)] as unknown
    else if (isRecord(current) && Object.hasOwn(current, token)) current = current[token]
    else return undefined
  }
  return current
}

/** The container of a path's last token, and that token. */
function parentOf(root: { doc: unknown }, path: string): { parent: Record<string, unknown> | unknown[]; key: string } | string {
  const parts = tokens(path)
  if (parts === undefined) return 'path must start with /'
  const key = parts.pop()
  if (key === undefined) return 'the whole profile cannot be the target'
  const parent = walk(root.doc, parts)
  return isRecord(parent) || Array.isArray(parent) ? { parent, key } : 'parent path does not exist'
}

function put(root: { doc: unknown }, path: string, value: unknown, mode: 'add' | 'replace'): string | undefined {
  const found = parentOf(root, path)
  if (typeof found === 'string') return found
  const { parent, key } = found
  if (!Array.isArray(parent)) {
    parent[key] = value
    return undefined
  }
  const index = key === '-' ? parent.length : Number(key)
  if (!Number.isInteger(index) || index < 0 || index > parent.length) return 'array index out of range'
  parent.splice(index, mode === 'add' ? 0 : 1, value)
  return undefined
}

function take(root: { doc: unknown }, path: string): string | undefined {
  const found = parentOf(root, path)
  if (typeof found === 'string') return found
  if (get(root, path) === undefined) return 'path does not exist'
  const { parent, key } = found
  if (Array.isArray(parent)) parent.splice(Number(key), 1)
  else Reflect.deleteProperty(parent, key)
  return undefined
}
