import { randomFillSync } from 'node:crypto'

const ALPHABETS = {
  base36: '0123456789abcdefghijklmnopqrstuvwxyz',
  hex: '0123456789abcdef',
} as const

/**
 * Random bytes drawn a few kilobytes at a time: one call to the system's generator per id made
 * creating a million users cost more than storing them.
 */
const pool = Buffer.alloc(8192)
let used = pool.length

/** A random identifier of `length` characters, shaped like the vendor's (Loops: `c` + base36, Braze: 24 hex digits). */
export function randomId(length: number, alphabet: keyof typeof ALPHABETS = 'base36', prefix = ''): string {
  const characters = ALPHABETS[alphabet]
  if (used + length > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  let id = prefix
  for (let i = used; i < used + length; i++) id += characters[(pool[i] ?? 0) % characters.length] ?? '0'
  used += length
  return id
}
