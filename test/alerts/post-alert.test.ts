import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { postAlert } from '../../src/alerts/post-alert.js'
import { closedUrl, startAlertReceiver, type AlertReceiver } from './alert-receiver.js'

/*
 * Sending one alert to a local receiver on a real socket: retried on 5xx, 429 and network errors
 * within its deadline, never retried on other refusals, and never naming the URL when it fails.
 */

let receiver: AlertReceiver
const FAST = { baseDelayMs: 20, timeoutMs: 1000, deadlineMs: 5000 }

beforeAll(async () => {
  receiver = await startAlertReceiver()
})
afterAll(() => receiver.stop())
beforeEach(() => {
  receiver.received.length = 0
  receiver.script([])
})

function post(path = '/hooks/T000/B000/secret-path'): { url: string; body: string; headers: Record<string, string> } {
  return { url: `${receiver.url}${path}`, body: '{"text":"hi"}', headers: { 'content-type': 'application/json' } }
}

describe('postAlert', () => {
  it('delivers on the first try when the receiver answers 2xx', async () => {
    expect(await postAlert(post(), FAST)).toEqual({ delivered: true, attempts: 1 })
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0]?.body).toBe('{"text":"hi"}')
  })

  it('tries again after a 500 and a 429, honouring Retry-After', async () => {
    receiver.script([500, 429], { 'retry-after': '1' })
    const started = Date.now()
    expect(await postAlert(post(), FAST)).toEqual({ delivered: true, attempts: 3 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900)
    expect(receiver.received).toHaveLength(3)
  })

  it('does not try again when the receiver refuses the alert, and says what it answered', async () => {
    receiver.script([404])
    const result = await postAlert(post(), FAST)
    expect(result).toEqual({ delivered: false, attempts: 1, problem: 'HTTP 404: error after 1 try' })
  })

  it('gives up after its tries when nothing listens, without naming the URL', async () => {
    const result = await postAlert({ ...post(), url: `${await closedUrl()}/hooks/T000/B000/secret-path` }, FAST)
    expect(result).toMatchObject({ delivered: false, attempts: 4 })
    expect(result.delivered || result.problem).toBe('no answer (ECONNREFUSED) after 4 tries')
  })

  it('gives up when a Retry-After reaches past its deadline', async () => {
    receiver.script([503], { 'retry-after': '60' })
    const started = Date.now()
    const result = await postAlert(post(), FAST)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(result.delivered || result.problem).toBe('HTTP 503: error after 1 try; no time left to try again within 5000 ms')
  })
})
