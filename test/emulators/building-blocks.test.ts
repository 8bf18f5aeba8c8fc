import { createHash } from 'node:crypto'

import { describe, expect, it } from 'vitest'

import loopsDocument from '../../providers/loops/emulator/loops-openapi.json' with { type: 'json' }
import courierDocument from '../../providers/courier/emulator/courier-openapi.json' with { type: 'json' }
import { parseBrazeTime } from '../../providers/braze/emulator/braze-time.js'
import { ConcurrencyLimit } from '../../src/emulators/concurrency-limit.js'
import { applyJsonPatch } from '../../providers/courier/emulator/courier-json-patch.js'
import { matchesListPattern } from '../../providers/courier/emulator/courier-list-pattern.js'
import { FixedWindow } from '../../src/emulators/fixed-window.js'
import { ManualClock } from '../../providers/emulators.js'
import { convertNullable } from '../../src/emulators/openapi-nullable.js'
import { Router } from '../../src/emulators/router.js'
import { seededRandom } from '../../src/emulators/seeded-random.js'
import { TokenBucket } from '../../src/emulators/token-bucket.js'
import { ValueIndex } from '../../src/emulators/value-index.js'

describe('rate limiters', () => {
  it('token bucket: a burst of `limit`, then refills continuously', () => {
    const clock = new ManualClock()
    const bucket = new TokenBucket({ limit: 10, windowMs: 1000 }, clock)
    const allowed = Array.from({ length: 11 }, () => bucket.take().allowed)
    expect(allowed.filter(Boolean)).toHaveLength(10)
    const refused = bucket.take()
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 100 })
    clock.advance(100)
    expect(bucket.take()).toMatchObject({ allowed: true, remaining: 0 })
    clock.advance(10_000)
    expect(bucket.take()).toMatchObject({ allowed: true, remaining: 9 })
  })

  it('fixed window: `limit` per window, reset at the window end', () => {
    const clock = new ManualClock()
    const window = new FixedWindow({ limit: 2, windowMs: 3000 }, clock)
    expect(window.take()).toMatchObject({ allowed: true, remaining: 1, resetAtMs: 3000 })
    clock.advance(1000)
    expect(window.take()).toMatchObject({ allowed: true, remaining: 0, resetAtMs: 3000 })
    expect(window.take()).toMatchObject({ allowed: false, retryAfterMs: 2000 })
    clock.advance(2000)
    expect(window.take()).toMatchObject({ allowed: true, remaining: 1, resetAtMs: 6000 })
  })

  it('concurrency limit: frees a slot once, however often released', () => {
    const limit = new ConcurrencyLimit(1)
    const release = limit.tryAcquire()
    expect(limit.tryAcquire()).toBeUndefined()
    release?.()
    release?.()
    expect(limit.inFlight).toBe(0)
    expect(limit.tryAcquire()).toBeTypeOf('function')
  })

  it('manual clock refuses to go backwards', () => {
    expect(() => new ManualClock().advance(-1)).toThrow(RangeError)
  })
})

describe('router', () => {
  const router = new Router([
    { method: 'GET', path: '/lists/:id' },
    { method: 'PUT', path: '/lists/:id/restore' },
    { method: 'GET', path: '/lists/:id/subscriptions' },
    { method: 'GET', path: '/lists/special' },
  ])

  it('prefers literal segments and decodes parameters', () => {
    expect(router.find('GET', '/lists/special')).toMatchObject({ kind: 'found', route: { path: '/lists/special' }, params: {} })
    expect(router.find('GET', '/lists/a%2Eb')).toMatchObject({ kind: 'found', params: { id: 'a.b' } })
  })

  it('tells a wrong method from an unknown path', () => {
    expect(router.find('DELETE', '/lists/x')).toEqual({ kind: 'method-not-allowed', allowed: ['GET'] })
    expect(router.find('GET', '/lists/x/other')).toEqual({ kind: 'not-found' })
    expect(router.find('GET', '/lists/%E0%A4%A')).toEqual({ kind: 'not-found' })
  })
})

describe('seeded random', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = Array.from({ length: 1000 }, seededRandom(7))
    expect(Array.from({ length: 1000 }, seededRandom(7))).toEqual(a)
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(a.filter((x) => x < 0.3).length).toBeGreaterThan(250)
    expect(a.filter((x) => x < 0.3).length).toBeLessThan(350)
  })
})

describe('value index', () => {
  interface Item {
    name: string
    rank: number
  }
  const item = (name: string, rank: number): Item => ({ name, rank })
  const higher = () => new ValueIndex<Item>((a, b) => a.rank > b.rank)

  it('keeps the preferred item of each value as items join, leave and are promoted', () => {
    const index = higher()
    const [a, b, c] = [item('a', 1), item('b', 3), item('c', 2)]
    for (const each of [a, b, c]) index.add('x', each)
    expect(index.best('x')).toBe(b)
    expect(index.all('x').map((i) => i.name)).toEqual(['a', 'b', 'c'])
    index.delete('x', b)
    expect(index.best('x')).toBe(c)
    a.rank = 9
    index.promote('x', a)
    expect(index.best('x')).toBe(a)
    index.delete('x', a)
    index.delete('x', c)
    expect([index.best('x'), index.all('x')]).toEqual([undefined, []])
  })

  it('finds by value as === does: strings, numbers and booleans apart, objects and absent values never', () => {
    const index = higher()
    const [one, text, flag] = [item('one', 1), item('text', 1), item('flag', 1)]
    index.add(1, one)
    index.add('1', text)
    index.add(true, flag)
    index.add({ v: 1 }, one)
    index.add(undefined, one)
    expect([index.best(1), index.best('1'), index.best(true), index.best(Number('1.0'))]).toEqual([one, text, flag, one])
    expect([index.all({ v: 1 }), index.all(undefined), index.best(null)]).toEqual([[], [], undefined])
  })

  it('ignores deleting or promoting an item that does not hold the value, and adding one twice', () => {
    const index = higher()
    const [a, b] = [item('a', 1), item('b', 2)]
    index.add('x', a)
    index.add('x', a)
    index.delete('x', b)
    index.promote('x', b)
    expect(index.all('x')).toEqual([a])
    index.add('x', b)
    index.add('x', b)
    index.delete('y', b)
    expect(index.all('x')).toEqual([a, b])
    expect(index.best('x')).toBe(b)
  })
})

describe('Courier JSON Patch and list patterns', () => {
  it('applies RFC 6902 operations, nested and in arrays', () => {
    const patched = applyJsonPatch({ address: { city: 'Paris' }, tags: ['a'] }, [
      { op: 'add', path: '/tags/-', value: 'b' },
      { op: 'copy', from: '/address/city', path: '/city' },
      { op: 'move', from: '/address', path: '/home' },
      { op: 'replace', path: '/tags/0', value: 'z' },
    ])
    expect(patched).toEqual({ home: { city: 'Paris' }, tags: ['z', 'b'], city: 'Paris' })
  })

  it('reports the failing operation and leaves the input unchanged', () => {
    const input = { a: 1 }
    expect(applyJsonPatch(input, [{ op: 'remove', path: '/b' }])).toBe('patch operation 0 (remove /b): path does not exist')
    expect(applyJsonPatch(input, [{ op: 'add', path: 'a', value: 2 }])).toMatch(/must start with/)
    expect(applyJsonPatch(input, [{ op: 'merge', path: '/a' }])).toMatch(/unknown op/)
    expect(input).toEqual({ a: 1 })
  })

  it('matches exact ids, * for one part and a trailing ** for the rest', () => {
    expect(matchesListPattern('a.b', 'a.b')).toBe(true)
    expect(matchesListPattern('a.*', 'a.b')).toBe(true)
    expect(matchesListPattern('a.*', 'a.b.c')).toBe(false)
    expect(matchesListPattern('a.**', 'a.b.c')).toBe(true)
    expect(matchesListPattern('a.**', 'a')).toBe(false)
    expect(matchesListPattern('*.b', 'x.b')).toBe(true)
  })
})

describe('Braze times', () => {
  it.each([
    ['2024-01-15T10:00:00Z', '2024-01-15T10:00:00.000Z'],
    ['2024-01-15T10:00:00:250+0100', '2024-01-15T09:00:00.250Z'],
    ['2024-01-15 10:00:00', '2024-01-15T10:00:00.000Z'],
    ['2024-01-15', '2024-01-15T00:00:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(new Date(parseBrazeTime(input) ?? Number.NaN).toISOString()).toBe(expected)
  })

  it('refuses what is not a time', () => {
    expect(parseBrazeTime('yesterday')).toBeUndefined()
    expect(parseBrazeTime(1700000000)).toBeUndefined()
  })
})

describe('OpenAPI documents', () => {
  it('rewrites OpenAPI 3.0 nullable as JSON Schema 2020-12', () => {
    expect(convertNullable({ type: 'string', nullable: true, enum: ['a'] })).toEqual({ type: ['string', 'null'], enum: ['a', null] })
    expect(convertNullable({ $ref: '#/x', nullable: true })).toEqual({ anyOf: [{ $ref: '#/x' }, { type: 'null' }] })
    expect(convertNullable({ properties: { a: { nullable: true } } })).toEqual({ properties: { a: { anyOf: [{}, { type: 'null' }] } } })
  })

  it('are the vendor documents as published (content hash of the parsed JSON)', () => {
    const hash = (document: unknown) => createHash('sha256').update(JSON.stringify(document)).digest('hex')
    expect(hash(loopsDocument)).toBe('9c1ca45388ed044eb1d1cc6c69e2ae68f1ecd86da066d9af20cd51e3fa4b32c7')
    expect(hash(courierDocument)).toBe('0b05311bf05437963953c5aec72163ccbe1a1dc57eba964f8a6fb1cd71dcf13d')
  })
})
