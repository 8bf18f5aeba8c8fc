import { describe, expect, it } from 'vitest'

import { isWarehouseInUse, openWhenFree } from '../../src/engine/warehouse-in-use.js'
import { OutflowError } from '../../src/errors.js'

const inUse = () => new OutflowError('WAREHOUSE_IN_USE', 'the DuckDB file w.duckdb is in use by another process (PID 7)')

/** An opener that finds the file in use `times` times, then opens it. */
function freeAfter(times: number): { open: () => Promise<string>; attempts: () => number } {
  let attempts = 0
  return {
    open: () => (++attempts > times ? Promise.resolve('opened') : Promise.reject(inUse())),
    attempts: () => attempts,
  }
}

describe('openWhenFree', () => {
  it('gives up at once without a wait, naming the source', async () => {
    const opener = freeAfter(1)
    const error: unknown = await openWhenFree('warehouse', opener.open).catch((e: unknown) => e)
    expect(isWarehouseInUse(error)).toBe(true)
    expect((error as Error).message).toBe('source "warehouse": the DuckDB file w.duckdb is in use by another process (PID 7)')
    expect(opener.attempts()).toBe(1)
  })

  it('tries again while the file is in use, within the wait', async () => {
    const opener = freeAfter(2)
    await expect(openWhenFree('warehouse', opener.open, { waitMs: 5_000 })).resolves.toBe('opened')
    expect(opener.attempts()).toBe(3)
  })

  it('says how long it waited when the file stays in use', async () => {
    const error: unknown = await openWhenFree('warehouse', freeAfter(1000).open, { waitMs: 600 }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/in use by another process \(PID 7\) \(waited 1 s\)$/)
  })

  it('throws any other failure at once', async () => {
    let attempts = 0
    const failing = () => {
      attempts++
      return Promise.reject(new OutflowError('WAREHOUSE_CONNECTION_FAILED', 'no such file'))
    }
    await expect(openWhenFree('warehouse', failing, { waitMs: 5_000 })).rejects.toThrow('no such file')
    expect(attempts).toBe(1)
  })

  it('stops waiting when stopped', async () => {
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 100)
    const started = Date.now()
    const error: unknown = await openWhenFree('warehouse', freeAfter(1000).open, { waitMs: 60_000, signal: stop.signal }).catch(
      (e: unknown) => e,
    )
    expect(isWarehouseInUse(error)).toBe(true)
    expect(Date.now() - started).toBeLessThan(2_000)
  })
})
