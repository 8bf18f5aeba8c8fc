import { systemClock, type EmulatorClock } from '../../../src/emulators/clock.js'
import type { EmulatorConfig } from '../../../src/emulators/emulator.js'
import { IDEMPOTENCY_TTL_MS } from '../../../src/emulators/idempotency-store.js'
import { validateRateLimit, type RateLimitConfig } from '../../../src/emulators/rate-limit.js'

/** The auth token the Courier emulator accepts when none is configured. */
export const COURIER_DEFAULT_AUTH_TOKEN = 'courier-test-token'

/** Settings of the Courier emulator. */
export interface CourierEmulatorConfig extends EmulatorConfig {
  /**
   * Accepted tokens: `Authorization: Bearer <token>`, or Basic auth whose user or password is one.
   * @default ['courier-test-token']
   */
  authTokens?: readonly string[]
  /**
   * List writes: POSTs to subscriptions and PUTs to lists, each 20 per minute (reference/destinations.md section 4.5).
   * @default { limit: 20, windowMs: 60000 }
   */
  listWriteLimit?: RateLimitConfig | false
  /**
   * Whether per-member writes count toward the list-write limit. [unverified] (section 4.7): a
   * member PUT is a "PUT to lists" by the letter of the docs, so it counts; a member DELETE does not.
   * @default { put: true, delete: false }
   */
  memberWritesLimited?: { put?: boolean; delete?: boolean }
  /**
   * `current`: PATCH `/profiles/{id}` answers 204 and DELETE `/profiles/{id}/lists` 200, as in
   * courier.json; `legacy`: 200 `{"status":"SUCCESS"}` and 204, as Courier's older docs say (section 4.3, 4.4).
   * @default 'current'
   */
  responseStyle?: 'current' | 'legacy'
  /**
   * Status of POST and PUT `/lists/{id}/subscriptions`; courier.json allows 202 and 204.
   * @default 204
   */
  subscriptionWriteStatus?: 202 | 204
  /**
   * Items per page of list and subscription listings. [unverified] Courier's page size is not documented.
   * @default 20
   */
  pageSize?: number
}

/** {@link CourierEmulatorConfig} with every default applied. */
export interface ResolvedCourierConfig {
  authTokens: ReadonlySet<string>
  listWriteLimit: RateLimitConfig | false
  memberWritesLimited: { put: boolean; delete: boolean }
  responseStyle: 'current' | 'legacy'
  subscriptionWriteStatus: 202 | 204
  pageSize: number
  idempotencyTtlMs: number
  retryAfter: boolean
  clock: EmulatorClock
}

/** Applies the defaults. */
export function resolveCourierConfig(config: CourierEmulatorConfig): ResolvedCourierConfig {
  return {
    authTokens: new Set(config.authTokens ?? [COURIER_DEFAULT_AUTH_TOKEN]),
    listWriteLimit: validateRateLimit('courier listWriteLimit', config.listWriteLimit ?? { limit: 20, windowMs: 60_000 }),
    memberWritesLimited: { put: config.memberWritesLimited?.put ?? true, delete: config.memberWritesLimited?.delete ?? false },
    responseStyle: config.responseStyle ?? 'current',
    subscriptionWriteStatus: config.subscriptionWriteStatus ?? 204,
    pageSize: config.pageSize ?? 20,
    idempotencyTtlMs: IDEMPOTENCY_TTL_MS,
    retryAfter: config.retryAfter ?? false,
    clock: config.clock ?? systemClock,
  }
}
