import { setTimeout as sleep } from 'node:timers/promises'

import { request, type Dispatcher } from 'undici'

import { retryAfterMs } from '../destinations/http.js'

/** How an alert is sent: tries, waits and the time it may take in all. */
export interface AlertRetryOptions {
  /**
   * Tries, the first included.
   * @default 4
   */
  maxAttempts?: number
  /**
   * The first wait between tries; each doubles it (with jitter), and a `Retry-After` lengthens it.
   * @default 500
   */
  baseDelayMs?: number
  /**
   * How long one try waits for the receiver's answer.
   * @default 5000
   */
  timeoutMs?: number
  /**
   * How long an alert may take in all, tries and waits included: past it, the alert is given up,
   * so an unreachable receiver never holds up a run for longer.
   * @default 15000
   */
  deadlineMs?: number
  /** The undici dispatcher to send with (tests bind one); the global one by default. */
  dispatcher?: Dispatcher | undefined
}

/** One alert to send: the URL (a secret), the body exactly as signed, and its headers. */
export interface AlertPost {
  url: string
  body: string
  headers: Readonly<Record<string, string>>
}

/** Whether an alert arrived, after how many tries, and if not why, in words that never hold its URL. */
export type AlertPostResult = { delivered: true; attempts: number } | { delivered: false; attempts: number; problem: string }

/** Answers worth another try: the receiver was busy, slow or failing, not refusing the alert. */
const RETRIED_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504])

type RetrySettings = Required<Omit<AlertRetryOptions, 'dispatcher'>> & Pick<AlertRetryOptions, 'dispatcher'>

const DEFAULTS: RetrySettings = { maxAttempts: 4, baseDelayMs: 500, timeoutMs: 5000, deadlineMs: 15_000 }

/**
 * POSTs an alert, trying again on network errors, timeouts, 429 and 5xx with exponential backoff
 * that honours `Retry-After`, within `deadlineMs` in all. Never throws: a receiver that cannot be
 * reached is a result, and no message names the URL, which is a secret (a Slack webhook's path is
 * its key).
 */
export async function postAlert(post: AlertPost, options: AlertRetryOptions = {}): Promise<AlertPostResult> {
  const settings: RetrySettings = { ...DEFAULTS, ...options }
  const deadline = Date.now() + settings.deadlineMs
  let problem = 'not sent'
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const answer = await tryOnce(post, settings, deadline)
    if (answer.ok) return { delivered: true, attempts: attempt }
    problem = answer.problem
    if (!answer.retry || attempt === settings.maxAttempts) return { delivered: false, attempts: attempt, problem: given(problem, attempt) }
    const step = Math.min(settings.deadlineMs, settings.baseDelayMs * 2 ** (attempt - 1))
    const wait = Math.max(Math.round(step / 2 + (Math.random() * step) / 2), answer.retryAfterMs ?? 0)
    if (Date.now() + wait >= deadline) {
      return {
        delivered: false,
        attempts: attempt,
        problem: `${given(problem, attempt)}; no time left to try again within ${settings.deadlineMs} ms`,
      }
    }
    await sleep(wait)
  }
  return { delivered: false, attempts: settings.maxAttempts, problem: given(problem, settings.maxAttempts) }
}

type Answer = { ok: true } | { ok: false; retry: boolean; problem: string; retryAfterMs?: number | undefined }

async function tryOnce(post: AlertPost, settings: RetrySettings, deadline: number): Promise<Answer> {
  const timeout = Math.max(1, Math.min(settings.timeoutMs, deadline - Date.now()))
  try {
    const response = await request(post.url, {
      method: 'POST',
      headers: post.headers,
      body: post.body,
      signal: AbortSignal.timeout(timeout),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
    })
    const text = await response.body.text()
    const status = response.statusCode
    if (status >= 200 && status < 300) return { ok: true }
    const header = response.headers['retry-after']
    const retryAfter = typeof header === 'string' ? retryAfterMs({ 'retry-after': header }) : undefined
    return { ok: false, retry: RETRIED_STATUSES.has(status), problem: `HTTP ${status}${errorWord(text)}`, retryAfterMs: retryAfter }
  } catch (error) {
    return { ok: false, retry: true, problem: `no answer (${errorCode(error)})` }
  }
}

/**
 * A receiver's answer when it is one word (Slack answers `invalid_payload`, `no_service`,
 * `invalid_token`); anything longer is left out, since a receiver may echo what it was sent.
 */
function errorWord(text: string): string {
  const word = text.trim()
  return /^[a-z_]{1,64}$/.test(word) ? `: ${word}` : ''
}

/** A network error's code (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`), never its message: undici's name the URL. */
function errorCode(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out'
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : 'network error'
}

function given(problem: string, attempts: number): string {
  return `${problem} after ${attempts} ${attempts === 1 ? 'try' : 'tries'}`
}
