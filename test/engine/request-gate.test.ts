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
    // Evenly spaced, not in bursts: a window's budget sent at once overlaps the vendor's next window
    // as soon as one request is delayed on the way.
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0))
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100)
    expect(gaps.filter((gap) => gap >= 100 && gap <= 103).length).toBeGreaterThan(80)
    const rate = 99 / ((times[99] ?? 0) / 1000)
    expect(rate).toBeGreaterThan(9.6)
  })

  it('keeps groups apart, and lets undeclared groups through', async () => {
    const clock = fakeClock()
    const gate = createRequestGate([{ group: 'lists', requests: 20, perMs: 60_000 }], clock)
    for (let i = 0; i < 21; i++) await gate.acquire('lists')
    expect(clock.elapsed()).toBe(61_200) // one every 3.06 s
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

  it('holds a group after a 429 for the delay the vendor asks, then resumes the even pace', async () => {
    const clock = fakeClock()
    const gate = createRequestGate(
      [
        { group: 'default', requests: 10, perMs: 1000 },
        { group: 'lists', requests: 10, perMs: 1000 },
      ],
      clock,
    )
    await gate.acquire()
    const refusedAt = clock.elapsed()
    gate.holdOff?.('default', 2000)
    // Queued requests all wait for the window to reset, not only the refused one.
    const times: number[] = []
    await Promise.all([0, 1, 2].map(() => gate.acquire().then(() => times.push(clock.elapsed()))))
    expect(Math.min(...times)).toBeGreaterThanOrEqual(refusedAt + 2000)
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(3)
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(200) // still paced: 102 ms apart
    const before = clock.elapsed()
    await gate.acquire('lists')
    expect(clock.elapsed()).toBe(before) // another group is not held
    gate.holdOff?.('unlimited', 5000) // a group with no declared limit has nothing to hold
    await gate.acquire('unlimited')
    expect(clock.elapsed()).toBe(before)
  })
})
