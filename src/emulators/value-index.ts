/** A value an index can hold: one that compares by value, so a lookup finds what `===` would. */
export type IndexKey = string | number | boolean

/** Whether `value` is an {@link IndexKey}. Objects and arrays never equal a value read from another request. */
export function isIndexKey(value: unknown): value is IndexKey {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

/** Two or more items sharing a value, with the preferred one at hand. */
class Group<T> {
  readonly members = new Set<T>()
  best: T

  constructor(best: T) {
    this.best = best
  }
}

/**
 * Items grouped by the value of one of their fields (an email, an identity), for lookups in O(1)
 * where a filter would read every item. Each group keeps its preferred item by `prefers`, so "the most
 * recently updated" or "the first created" is read without a scan; only removing a group's
 * preferred item rescans that group. Values that are not {@link IndexKey}s are ignored on writes
 * and find nothing. The owner calls `add`/`delete` on every write of the field, and `promote`
 * when an item became more preferred than before (it must never become less).
 *
 * @example
 * ```ts
 * const byEmail = new ValueIndex<User>((a, b) => a.revision > b.revision)
 * byEmail.add(user.email, user)
 * byEmail.best('ada@example.com') // the most recently updated user with that email
 * ```
 */
export class ValueIndex<T extends object> {
  /** A value held by one item maps to that item; a Set for every value would cost a million of them. */
  readonly #entries = new Map<IndexKey, T | Group<T>>()
  readonly #prefers: (a: T, b: T) => boolean

  /** @param prefers whether `a` is to be found before `b` when they share a value */
  constructor(prefers: (a: T, b: T) => boolean) {
    this.#prefers = prefers
  }

  add(value: unknown, item: T): void {
    if (!isIndexKey(value)) return
    const entry = this.#entries.get(value)
    if (entry === undefined) {
      this.#entries.set(value, item)
    } else if (entry instanceof Group) {
      entry.members.add(item)
      if (this.#prefers(item, entry.best)) entry.best = item
    } else if (entry !== item) {
      const group = new Group(this.#prefers(item, entry) ? item : entry)
      group.members.add(entry).add(item)
      this.#entries.set(value, group)
    }
  }

  delete(value: unknown, item: T): void {
    if (!isIndexKey(value)) return
    const entry = this.#entries.get(value)
    if (entry === item) {
      this.#entries.delete(value)
    } else if (entry instanceof Group && entry.members.delete(item)) {
      if (entry.members.size === 1) this.#entries.set(value, entry.members.values().next().value as T)
      else if (entry.best === item) entry.best = this.#pick(entry.members)
    }
  }

  /** Tells the index that `item`, held under `value`, is now preferred at least as much as before. */
  promote(value: unknown, item: T): void {
    if (!isIndexKey(value)) return
    const entry = this.#entries.get(value)
    if (entry instanceof Group && entry.members.has(item) && this.#prefers(item, entry.best)) entry.best = item
  }

  /** The preferred item holding `value`, or `undefined`. */
  best(value: unknown): T | undefined {
    if (!isIndexKey(value)) return undefined
    const entry = this.#entries.get(value)
    return entry instanceof Group ? entry.best : entry
  }

  /** Every item holding `value`, in no particular order. */
  all(value: unknown): T[] {
    if (!isIndexKey(value)) return []
    const entry = this.#entries.get(value)
    return entry === undefined ? [] : entry instanceof Group ? [...entry.members] : [entry]
  }

  clear(): void {
    this.#entries.clear()
  }

  /** The preferred of two or more members. */
  #pick(members: ReadonlySet<T>): T {
    let best: T | undefined
    for (const member of members) if (best === undefined || this.#prefers(member, best)) best = member
    return best as T
  }
}
