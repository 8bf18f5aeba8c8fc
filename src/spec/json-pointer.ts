/** Splits a JSON pointer into its segments. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** Joins segments into a JSON pointer, escaping `~` and `/`. */
export function toPointer(segments: readonly string[]): string {
  return segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

/** Whether `pointer` is `container` or lies inside it. */
export function isWithin(pointer: string, container: string): boolean {
  return pointer === container || pointer.startsWith(`${container}/`)
}

/** Whether one pointer is the other, or inside it: a problem at either concerns the same data. */
export function pointersOverlap(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a)
}

/** The value at `pointer` in plain data, or undefined when there is none. */
export function valueAt(data: unknown, pointer: string): unknown {
  let value: unknown = data
  for (const segment of fromPointer(pointer)) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined
    value = (value as Record<string, unknown>)[segment]
  }
  return value
}
