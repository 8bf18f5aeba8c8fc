import { randomBytes } from 'node:crypto'

const ALPHABETS = {
  base36: '0123456789abcdefghijklmnopqrstuvwxyz',
  hex: '0123456789abcdef',
} as const

/** A random identifier of `length` characters, shaped like the vendor's (Loops: `c` + base36, Braze: 24 hex digits). */
export function randomId(length: number, alphabet: keyof typeof ALPHABETS = 'base36', prefix = ''): string {
  const characters = ALPHABETS[alphabet]
  const bytes = randomBytes(length)
  let id = prefix
  for (const byte of bytes) id += characters[byte % characters.length] ?? '0'
  return id
}
