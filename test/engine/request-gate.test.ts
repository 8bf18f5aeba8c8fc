import { describe, expect, it } from 'vitest'

import { createRequestGate, type GateClock } from '../../src/engine/request-gate.js'

/** A clock that advances only when the gate sleeps, recording when each request was let through. */
function fakeClock(): GateClock & { elapsed: () => number } {
  let now = 0
  return { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()), elapsed: () => now }
}

describe('request gate', () => {
  it('lets a burst of the window size through, then spaces requests at the limit', async () => {
    const clock = fakeClock()
    const gate = createRequestGate([{ group: 'default', requests: 10, perMs: 1000 }], clock)
    const times: number[] = []
    for (let i = 0; i < 30; i++) {
      await gate.acquire()
      times.push(clock.elapsed())
    }
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0))
    expect(times[10]).toBe(100)
    expect(times[29]).toBe(2000) // 30 requests at 10/s with a 10-request burst: 2 s
  })

  it('keeps groups apart, and lets undeclared groups through', async () => {
    const clock = fakeClock()
    const gate = createRequestGate([{ group: 'lists', requests: 20, perMs: 60_000 }], clock)
    for (let i = 0; i < 21; i++) await gate.acquire('lists')
    expect(clock.elapsed()).toBe(3000)
    await gate.acquire('default')
    await gate.acquire('profiles')
    expect(clock.elapsed()).toBe(3000)
  })

  it('serves concurrent waiters in call order without exceeding the rate', async () => {
    const clock = fakeClock()
    const gate = createRequestGate([{ group: 'default', requests: 2, perMs: 1000 }], clock)
    const order: number[] = []
    await Promise.all([0, 1, 2, 3, 4].map((i) => gate.acquire().then(() => order.push(i))))
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(clock.elapsed()).toBe(1500)
  })
})
