import { seededRandom } from '../emulators/seeded-random.js'

/** The draws the demo data needs, from one seeded sequence: the same seed gives the same data. */
export class DemoRandom {
  readonly #next: () => number

  constructor(seed: number) {
    this.#next = seededRandom(seed)
  }

  /** A number in [0, 1). */
  next(): number {
    return this.#next()
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#next() < p
  }

  /** One item, each equally likely. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#next() * items.length)]
    if (item === undefined) throw new RangeError('cannot pick from an empty list')
    return item
  }

  /** One item, in proportion to its `weight`. */
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((sum, item) => sum + item.weight, 0)
    let draw = this.#next() * total
    for (const item of items) {
      draw -= item.weight
      if (draw < 0) return item
    }
    return this.pick(items)
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i)
      const a = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = a
    }
    return copy
  }
}

/** Mixes two numbers into a 32-bit seed, so each day of changes draws its own sequence. */
export function mixSeed(seed: number, salt: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x01000193) ^ Math.imul(salt, 0x9e3779b1)) >>> 0
}
