import { describe, expect, it } from 'vitest'

import { brazeCatalog } from '../../providers/braze/braze-catalog.js'
import type {
  DeliveryBatch,
  DeliveryRecord,
  DestinationConnector,
  FailureCode,
  RecordResult,
  RequestGate,
} from '../../src/destinations/destination.js'
import { deliverBatch, type DeliverOptions } from '../../src/engine/deliver-batch.js'
import type { RetryPolicy } from '../../src/engine/retry-policy.js'
import { OutflowError } from '../../src/errors.js'

/*
 * deliverBatch against a connector that answers as told, call by call: which records it retries,
 * how long it waits, what it never sends twice, and how it isolates a record that makes a vendor
 * refuse a whole request. Delays are a few milliseconds.
 */

/** One `deliver` call as the fake connector saw it. */
interface Call {
  keys: string[]
  at: number
}

/** Answers one `deliver` call: the records sent, and which call this is (1 for the first). */
type Answer = (records: readonly DeliveryRecord[], call: number) => RecordResult[] | Promise<RecordResult[]>

const OPEN_GATE: RequestGate = { acquire: () => Promise.resolve() }

function fakeConnector(answer: Answer): { connector: DestinationConnector; calls: Call[] } {
  const calls: Call[] = []
  const connector: DestinationConnector = {
    catalog: brazeCatalog,
    rateLimits: [],
    limits: () => ({ batchSize: 75, concurrency: 1, requestsPerBatch: { default: 1 } }),
    check: () => Promise.resolve({ ok: true, detail: 'fake' }),
    prepare: () => Promise.resolve({ created: [], existing: [] }),
    missing: () => Promise.resolve([]),
    deliver: async (batch) => {
      calls.push({ keys: batch.records.map((r) => r.key), at: performance.now() })
      return answer(batch.records, calls.length)
    },
  }
  return { connector, calls }
}

function batchOf(count: number, op: DeliveryRecord['op'] = 'upsert'): DeliveryBatch {
  const records = Array.from({ length: count }, (_, i): DeliveryRecord => {
    const key = `r${i + 1}`
    return { key, op, change: 'added', fields: { external_id: key }, idempotencyKey: `idem-${key}` }
  })
  return {
    sync: 'test',
    object: op === 'send' ? 'event' : 'user',
    behavior: op === 'send' ? 'send' : 'upsert',
    keyField: undefined,
    options: {},
    records,
  }
}

const accepted = (record: DeliveryRecord): RecordResult => ({ key: record.key, status: 'accepted' })
const failed = (record: DeliveryRecord, code: FailureCode, retryAfterMs?: number): RecordResult => ({
  key: record.key,
  status: 'failed',
  code,
  message: `${code} for ${record.key}`,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
})

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({ maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 1, ...overrides })
const options = (overrides: Partial<DeliverOptions> = {}): DeliverOptions => ({ policy: policy(), atMostOnce: false, ...overrides })

function gaps(calls: readonly Call[]): number[] {
  return calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0))
}

describe('deliverBatch: retries', () => {
  it('retries only the records that failed, and keeps the results in the batch order', async () => {
    const { connector, calls } = fakeConnector((records, call) =>
      records.map((r) => (call === 1 && r.key !== 'r1' ? failed(r, r.key === 'r2' ? 'vendor_error' : 'rate_limited') : accepted(r))),
    )
    const delivered = await deliverBatch(connector, batchOf(3), OPEN_GATE, options())
    expect(calls.map((c) => c.keys)).toEqual([
      ['r1', 'r2', 'r3'],
      ['r2', 'r3'],
    ])
    expect(delivered.extraCalls).toBe(1)
    expect(delivered.results.map((r) => [r.record.key, r.result.status, r.outcomeUnknown])).toEqual([
      ['r1', 'accepted', false],
      ['r2', 'accepted', false],
      ['r3', 'accepted', false],
    ])
  })

  it('with deferRateLimited, hands back the records refused with the rate limit, unsent again, and retries the others', async () => {
    const { connector, calls } = fakeConnector((records, call) =>
      records.map((r) => {
        if (call > 1 || r.key === 'r1') return accepted(r)
        return r.key === 'r2' ? failed(r, 'vendor_error') : failed(r, 'rate_limited', 60_000)
      }),
    )
    const delivered = await deliverBatch(connector, batchOf(3), OPEN_GATE, options({ deferRateLimited: true }))
    // r3 is not retried after the vendor's delay (a minute): it goes back to the caller at once.
    expect(calls.map((c) => c.keys)).toEqual([['r1', 'r2', 'r3'], ['r2']])
    expect(delivered.deferred.map((r) => r.key)).toEqual(['r3'])
    expect(delivered.results.map((r) => [r.record.key, r.result.status])).toEqual([
      ['r1', 'accepted'],
      ['r2', 'accepted'],
    ])
    expect(delivered.rateLimited).toBe(1)
  })

  it('waits as long as the vendor asks (the longest retryAfterMs of the batch), however short the backoff', async () => {
    const { connector, calls } = fakeConnector((records, call) =>
      records.map((r) => (call === 1 ? failed(r, 'rate_limited', r.key === 'r1' ? 30 : 120) : accepted(r))),
    )
    const delivered = await deliverBatch(connector, batchOf(2), OPEN_GATE, options({ policy: policy({ baseDelayMs: 1, maxDelayMs: 1 }) }))
    expect(delivered.results.every((r) => r.result.status === 'accepted')).toBe(true)
    expect(calls).toHaveLength(2)
    expect(gaps(calls)[0]).toBeGreaterThanOrEqual(118)
  })

  it('backs off by the policy when the vendor names no delay: doubling from baseDelayMs, with jitter, capped at maxDelayMs', async () => {
    const { connector, calls } = fakeConnector((records, call) => records.map((r) => (call < 5 ? failed(r, 'vendor_error') : accepted(r))))
    await deliverBatch(connector, batchOf(1), OPEN_GATE, options({ policy: policy({ baseDelayMs: 20, maxDelayMs: 40 }) }))
    const [first, second, third, fourth] = gaps(calls)
    // Steps of 20, 40, 40 (capped), 40 ms; each wait is between half the step and the whole of it.
    expect(first).toBeGreaterThanOrEqual(9)
    expect(second).toBeGreaterThanOrEqual(19)
    expect(third).toBeGreaterThanOrEqual(19)
    expect(fourth).toBeGreaterThanOrEqual(19)
    // Uncapped, the fourth wait would be 80 to 160 ms.
    expect(fourth).toBeLessThan(80)
  })

  it('gives up after maxAttempts: the record ends failed with its last reason, not in doubt', async () => {
    const { connector, calls } = fakeConnector((records, call) => records.map((r) => failed(r, call < 3 ? 'rate_limited' : 'vendor_error')))
    const delivered = await deliverBatch(connector, batchOf(2), OPEN_GATE, options({ policy: policy({ maxAttempts: 3 }) }))
    expect(calls).toHaveLength(3)
    expect(delivered.extraCalls).toBe(2)
    expect(delivered.results.map((r) => [r.result.status, r.result.status === 'failed' ? r.result.code : '', r.outcomeUnknown])).toEqual([
      ['failed', 'vendor_error', false],
      ['failed', 'vendor_error', false],
    ])
  })

  it('retries records a connector returned no result for', async () => {
    const { connector, calls } = fakeConnector((records, call) => (call === 1 ? records.slice(0, 1).map(accepted) : records.map(accepted)))
    const delivered = await deliverBatch(connector, batchOf(3), OPEN_GATE, options())
    expect(calls.map((c) => c.keys)).toEqual([
      ['r1', 'r2', 'r3'],
      ['r2', 'r3'],
    ])
    expect(delivered.results.every((r) => r.result.status === 'accepted')).toBe(true)
  })

  it('stops at refused credentials: no other call, the records left failed as not sent, the error handed back', async () => {
    const { connector, calls } = fakeConnector((records, call) => {
      if (call === 2) throw new OutflowError('DESTINATION_AUTH', 'destination "fake": refused the key')
      return records.map((r) => failed(r, 'vendor_error'))
    })
    const delivered = await deliverBatch(connector, batchOf(3), OPEN_GATE, options({ atMostOnce: true }))
    expect(delivered.stopped).toMatchObject({ code: 'DESTINATION_AUTH' })
    expect(calls).toHaveLength(2)
    // The vendor answered: nothing is in doubt, so a `send` withdraws its intents and sends later.
    expect(delivered.results.map((r) => [r.result.status, r.outcomeUnknown])).toEqual([
      ['failed', false],
      ['failed', false],
      ['failed', false],
    ])
    expect(delivered.results[0]?.result).toMatchObject({ code: 'stopped', message: 'not sent: destination "fake": refused the key' })
  })

  it('stops waiting at once when the run is stopped during a backoff', async () => {
    const { connector, calls } = fakeConnector((records) => records.map((r) => failed(r, 'rate_limited', 60_000)))
    const stop = new AbortController()
    const started = performance.now()
    setTimeout(() => stop.abort(new Error('stopped by a signal')), 30)
    const delivered = await deliverBatch(connector, batchOf(1), OPEN_GATE, options({ signal: stop.signal }))
    expect(delivered.stopped).toMatchObject({ name: 'AbortError', cause: { message: 'stopped by a signal' } })
    expect(delivered.results[0]).toMatchObject({ result: { status: 'failed', code: 'stopped' }, outcomeUnknown: false })
    expect(performance.now() - started).toBeLessThan(5000)
    expect(calls).toHaveLength(1)
  })
})

describe('deliverBatch: at most once for sends', () => {
  const answers: Answer = (records, call) =>
    records.map((r) => {
      if (call > 1) return accepted(r)
      if (r.key === 'r1') return failed(r, 'network')
      return failed(r, r.key === 'r2' ? 'vendor_error' : 'rate_limited', 5)
    })

  it('never retries a send whose request got no answer: it may have arrived, so its outcome is unknown', async () => {
    const { connector, calls } = fakeConnector(answers)
    const delivered = await deliverBatch(connector, batchOf(3, 'send'), OPEN_GATE, options({ atMostOnce: true }))
    // A 5xx or a 429 is an answer: the vendor did not take the events, so they are sent again.
    expect(calls.map((c) => c.keys)).toEqual([
      ['r1', 'r2', 'r3'],
      ['r2', 'r3'],
    ])
    expect(delivered.results.map((r) => [r.record.key, r.result.status, r.outcomeUnknown])).toEqual([
      ['r1', 'failed', true],
      ['r2', 'accepted', false],
      ['r3', 'accepted', false],
    ])
  })

  it('retries a network failure when sending twice is harmless (upserts)', async () => {
    const { connector, calls } = fakeConnector(answers)
    const delivered = await deliverBatch(connector, batchOf(3), OPEN_GATE, options({ atMostOnce: false }))
    expect(calls.map((c) => c.keys)).toEqual([
      ['r1', 'r2', 'r3'],
      ['r1', 'r2', 'r3'],
    ])
    expect(delivered.results.every((r) => r.result.status === 'accepted' && !r.outcomeUnknown)).toBe(true)
  })
})

describe('deliverBatch: a batch refused as a whole', () => {
  /** A vendor that refuses any request holding a bad record, and applies nothing of it. */
  const refusing =
    (bad: readonly string[]): Answer =>
    (records) => {
      const poisoned = records.some((r) => bad.includes(r.key))
      if (!poisoned) return records.map(accepted)
      if (records.length === 1) return records.map((r) => ({ key: r.key, status: 'rejected', code: 'invalid', message: 'Bad Request' }))
      return records.map((r) => failed(r, 'batch_rejected'))
    }

  it('splits in halves until each bad record stands alone; every other record is sent in exactly one accepted call', async () => {
    const { connector, calls } = fakeConnector(refusing(['r3', 'r6']))
    const delivered = await deliverBatch(connector, batchOf(8, 'send'), OPEN_GATE, options({ atMostOnce: true }))
    expect(calls.map((c) => c.keys.join(' '))).toEqual([
      'r1 r2 r3 r4 r5 r6 r7 r8',
      'r1 r2 r3 r4',
      'r1 r2',
      'r3 r4',
      'r3',
      'r4',
      'r5 r6 r7 r8',
      'r5 r6',
      'r5',
      'r6',
      'r7 r8',
    ])
    expect(delivered.extraCalls).toBe(10)
    expect(delivered.results.map((r) => `${r.record.key}:${r.result.status}`)).toEqual([
      'r1:accepted',
      'r2:accepted',
      'r3:rejected',
      'r4:accepted',
      'r5:accepted',
      'r6:rejected',
      'r7:accepted',
      'r8:accepted',
    ])
    const acceptedCalls = calls.filter((c) => !c.keys.some((k) => k === 'r3' || k === 'r6')).flatMap((c) => c.keys)
    expect(acceptedCalls.sort()).toEqual(['r1', 'r2', 'r4', 'r5', 'r7', 'r8'])
  })

  it('rejects a record the vendor refuses alone, with the vendor reason, without retrying it', async () => {
    const { connector, calls } = fakeConnector((records) =>
      records.map((r) => ({ key: r.key, status: 'failed', code: 'batch_rejected', message: 'Bad Request (HTTP 400)' })),
    )
    const delivered = await deliverBatch(connector, batchOf(1), OPEN_GATE, options())
    expect(calls).toHaveLength(1)
    expect(delivered.results[0]?.result).toEqual({
      key: 'r1',
      status: 'rejected',
      code: 'batch_rejected',
      message: 'Bad Request (HTTP 400)',
    })
  })

  it('retries a half that meets a passing failure, and splits only what was refused', async () => {
    const refuse = refusing(['r2'])
    const { connector, calls } = fakeConnector((records, call) =>
      // The first half meets a 503 once: it is tried again, then refused, then split.
      call === 2 ? records.map((r) => failed(r, 'vendor_error')) : refuse(records, call),
    )
    const delivered = await deliverBatch(connector, batchOf(4), OPEN_GATE, options())
    expect(calls.map((c) => c.keys.join(' '))).toEqual(['r1 r2 r3 r4', 'r1 r2', 'r1 r2', 'r1', 'r2', 'r3 r4'])
    expect(delivered.results.map((r) => r.result.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted'])
    expect(delivered.extraCalls).toBe(5)
  })
})
