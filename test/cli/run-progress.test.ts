import { expect, it, vi } from 'vitest'

import { RunProgress } from '../../src/cli/run-progress.js'
import { emptyCounts } from '../../src/engine/sync-run-result.js'

/** Progress where every record handled was synced, except `failed` of them. */
const progress = (sync: string, done: number, total: number, failed = 0) => ({
  sync,
  done,
  total,
  counts: { ...emptyCounts(), synced: done - failed, failed },
})

it('draws one redrawn line with a bar per running sync on a terminal', () => {
  let out = ''
  const bar = new RunProgress({ write: (t) => (out += t), isTTY: true })
  bar.update(progress('braze-users', 50, 200))
  bar.update(progress('loops-contacts', 10, 10))
  expect(out.split('\r\u001b[2K').at(-1)).toBe(
    'braze-users [######..................] 25% 50 synced  loops-contacts [########################] 100% 10 synced',
  )
  bar.finish('loops-contacts', () => (out += 'done line\n'))
  expect(out.endsWith('\r\u001b[2Kdone line\n\r\u001b[2Kbraze-users [######..................] 25% 50 synced')).toBe(true)
})

it('writes a plain line per sync every few seconds elsewhere (CI logs)', () => {
  vi.useFakeTimers({ now: 100_000 })
  try {
    let out = ''
    const log = new RunProgress({ write: (t) => (out += t), isTTY: false })
    log.update(progress('braze-users', 1_500, 20_000))
    log.update(progress('braze-users', 1_600, 20_000))
    vi.setSystemTime(106_000)
    log.update(progress('braze-users', 9_000, 20_000, 12))
    expect(out).toBe(
      'braze-users: 1,500/20,000 records (7%): 1,500 synced\nbraze-users: 9,000/20,000 records (45%): 8,988 synced, 12 failed\n',
    )
  } finally {
    vi.useRealTimers()
  }
})
