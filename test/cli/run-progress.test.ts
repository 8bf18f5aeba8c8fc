import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { EventLog } from '../../src/cli/event-log.js'
import { formatEta, formatRate } from '../../src/cli/progress-rate.js'
import { RunProgress } from '../../src/cli/run-progress.js'
import { emptyCounts } from '../../src/engine/sync-run-result.js'

/** Progress where every record handled was synced, except `failed` of them. */
const progress = (sync: string, done: number, total: number, failed = 0) => ({
  sync,
  done,
  total,
  counts: { ...emptyCounts(), synced: done - failed, failed },
})

const ERASE = '\r\u001b[2K'

beforeEach(() => {
  vi.useFakeTimers({ now: 100_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A terminal of `columns` columns, and what was drawn on it. */
function terminal(columns: number | undefined) {
  const out = { text: '' }
  const bar = new RunProgress({ write: (t) => (out.text += t), isTTY: true, columns: () => columns })
  return { bar, out, lastLine: () => out.text.split(ERASE).at(-1) ?? '' }
}

describe('on a terminal', () => {
  it('draws one line with a bar per running sync, counts, rate and ETA, fitted to the terminal it draws on', () => {
    const { bar, lastLine } = terminal(120)
    bar.update(progress('braze-users', 50, 200))
    // The widest bar, 30 characters, fits: a quarter of it is filled.
    expect(lastLine()).toBe(`braze-users [${'#'.repeat(8)}${'.'.repeat(22)}] 25% 50/200: 50 synced`)
    vi.setSystemTime(102_000)
    bar.update(progress('braze-users', 150, 200))
    // 100 rows in 2 s since the first report: 50 rows/s, 50 rows left.
    expect(lastLine()).toBe(`braze-users [${'#'.repeat(23)}${'.'.repeat(7)}] 75% 150/200: 150 synced, 50 rows/s, ETA 1s`)
    expect(lastLine().length).toBeLessThan(120)

    const narrow = terminal(60)
    narrow.bar.update(progress('braze-users', 50, 200))
    narrow.bar.update(progress('loops-contacts', 10, 10))
    expect(narrow.lastLine()).toHaveLength(59)
    expect(narrow.lastLine()).toBe('braze-users [#....] 25% 50/200: 50 synced  loops-contacts [')
  })

  it('redraws at most ten times a second, and always draws the latest state', () => {
    const { bar, out, lastLine } = terminal(100)
    bar.update(progress('braze-users', 10, 100))
    const draws = () => out.text.split(ERASE).length - 1
    expect(draws()).toBe(1)
    for (let done = 11; done <= 40; done++) bar.update(progress('braze-users', done, 100))
    expect(draws()).toBe(1)
    vi.advanceTimersByTime(100)
    expect(draws()).toBe(2)
    expect(lastLine()).toContain('40/100')
    // The final state is drawn at once, however soon after the last draw.
    bar.update(progress('braze-users', 100, 100))
    expect(draws()).toBe(3)
    expect(lastLine()).toContain('100% 100/100')
  })

  it('prints a finished sync where the bar was, then draws the bar below it', () => {
    const { bar, out } = terminal(120)
    bar.update(progress('braze-users', 50, 200))
    bar.update(progress('loops-contacts', 10, 10))
    bar.finish('loops-contacts', () => (out.text += 'done line\n'))
    const [, printed, redrawn] = out.text.split(ERASE).slice(-3)
    expect(printed).toBe('done line\n')
    expect(redrawn).toMatch(/^braze-users \[#+\.+\] 25% 50\/200: 50 synced$/)
    bar.clear()
    expect(out.text.endsWith(ERASE)).toBe(true)
    // Nothing is drawn after the bar is cleared, not even by a redraw that was due.
    bar.update(progress('braze-users', 51, 200))
    bar.clear()
    const length = out.text.length
    vi.advanceTimersByTime(1000)
    expect(out.text).toHaveLength(length)
  })
})

describe('elsewhere (CI logs)', () => {
  it('writes a plain line per sync every few seconds, with the rate once there is one', () => {
    let out = ''
    const log = new RunProgress({ write: (t) => (out += t), isTTY: false })
    log.update(progress('braze-users', 1_500, 20_000))
    log.update(progress('braze-users', 1_600, 20_000))
    vi.setSystemTime(106_000)
    log.update(progress('braze-users', 9_000, 20_000, 12))
    expect(out).toBe(
      'braze-users: 1,500/20,000 records (7%): 1,500 synced\n' +
        'braze-users: 9,000/20,000 records (45%): 8,988 synced, 12 failed, 1,250 rows/s, ETA 9s\n',
    )
  })

  it('with --log-format, writes sync_progress events of the log and draws no bar, even on a terminal', () => {
    let out = ''
    const events = new EventLog('json', (line) => (out += line))
    const log = new RunProgress({ write: () => expect.fail('nothing is drawn'), isTTY: true, log: events })
    log.update(progress('braze-users', 1_500, 20_000))
    vi.setSystemTime(106_000)
    log.update(progress('braze-users', 9_000, 20_000))
    const lines = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatchObject({
      time: '1970-01-01T00:01:46.000Z',
      level: 'info',
      event: 'sync_progress',
      sync: 'braze-users',
      counts: { synced: 9_000, failed: 0 },
      done: 9_000,
      total: 20_000,
      rows_per_second: 1250,
      eta_seconds: 9,
    })
    expect(lines[0]).not.toHaveProperty('rows_per_second')
  })
})

it('words rates and ETAs briefly', () => {
  expect([formatRate(0.25), formatRate(12.4), formatRate(12_345.6)]).toEqual(['0.3 rows/s', '12 rows/s', '12,346 rows/s'])
  expect([formatEta(undefined), formatEta(0.2), formatEta(185), formatEta(3725)]).toEqual(['ETA ?', 'ETA 1s', 'ETA 3m05s', 'ETA 1h02m'])
})
