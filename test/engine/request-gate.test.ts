import { describe, expect, it } from 'vitest'

import { createRequestGate, type GateClock } from '../../src/engine/request-gate.js'

/** A clock that advances only when the gate sleeps. */
function fakeClock(): GateClock & { elapsed: () => number } {
  let now = 0
  return { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()), elapsed: () => now }
}

/** The largest number of send times that fall in any window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length))
}

describe('request gate', () => {
  it('never lets more than the limit into any window, and keeps close to the limit', async () => {
    const clock = fakeClock()
    const gate = createRequestGate([{ group: 'default', requests: 10, perMs: 1000 }], clock)
    const times: number[] = []
    for (let i = 0; i < 100; i++) {
      await gate.acquire()
      times.push(clock.elapsed())
    }
    expect(busiestWindow(times, 1000)).toBe(10)
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0)) // the first window's budget at once
    const rate = 90 / ((times[99] ?? 0) / 1000) // after the first burst
    expect(rate).toBeGreaterThan(9.5)
  })

  it('keeps groups apart, and lets undeclared groups through', async () => {
    const clock = fakeClock()
    const gate = createRequestGate([{ group: 'lists', requests: 20, perMs: 60_000 }], clock)
    for (let i = 0; i < 21; i++) await gate.acquire('lists')
    expect(clock.elapsed()).toBe(61_200)
    await gate.acquire('default')
    await gate.acquire('profiles')
    expect(clock.elapsed()).toBe(61_200)
  })

  it('serves concurrent waiters in call order without exceeding the rate', async () => {
    const clock = fakeClock()
    const gate = createRequestGate([{ group: 'default', requests: 2, perMs: 1000 }], clock)
    const order: number[] = []
    const times: number[] = []
    await Promise.all([0, 1, 2, 3, 4].map((i) => gate.acquire().then(() => (order.push(i), times.push(clock.elapsed())))))
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(busiestWindow(times, 1000)).toBe(2)
  })
})
