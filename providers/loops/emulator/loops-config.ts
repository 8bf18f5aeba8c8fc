import { systemClock, type EmulatorClock } from '../../../src/emulators/clock.js'
import type { EmulatorConfig } from '../../../src/emulators/emulator.js'
import { IDEMPOTENCY_TTL_MS } from '../../../src/emulators/idempotency-store.js'
import { validateRateLimit, type RateLimitConfig } from '../../../src/emulators/rate-limit.js'
import type { LoopsMailingList, LoopsPropertyType } from './loops-state.js'

/** The API key the Loops emulator accepts when none is configured. */
export const LOOPS_DEFAULT_API_KEY = 'loops-test-key'

/** What the emulator does with a contact key that is neither standard nor a created custom property. */
export type LoopsUndeclaredPropertyPolicy = 'reject' | 'ignore' | 'accept'

/** Settings of the Loops emulator. */
export interface LoopsEmulatorConfig extends EmulatorConfig {
  /**
   * Accepted API keys (`Authorization: Bearer <key>`).
   * @default ['loops-test-key']
   */
  apiKeys?: readonly string[]
  /**
   * What `GET /v1/api-key` returns as `teamName`.
   * @default 'Outflow Emulator'
   */
  teamName?: string
  /**
   * Token bucket per API key: 10 requests per second (reference/destinations.md section 1.7).
   * @default { limit: 10, windowMs: 1000 }
   */
  rateLimit?: RateLimitConfig | false
  /** Mailing lists that exist from the start (the API cannot create them; `POST /_emulator/seed` can). */
  mailingLists?: readonly (Pick<LoopsMailingList, 'id' | 'name'> & Partial<LoopsMailingList>)[]
  /** Custom contact properties that exist from the start. */
  customProperties?: readonly { name: string; type: LoopsPropertyType; label?: string }[]
  /**
   * A contact key that is not a created property. [unverified] (reference section 1.4 / 6): Loops
   * asks for properties to be created first; rejecting with 400 catches a sync that forgot to.
   * @default 'reject'
   */
  undeclaredProperties?: LoopsUndeclaredPropertyPolicy
  /**
   * A `mailingLists` key that names no list: `reject` (400) or `ignore`. [unverified] (section 6).
   * @default 'reject'
   */
  unknownMailingLists?: 'reject' | 'ignore'
  /**
   * Longest string value accepted (section 1.4: most values are limited to 500 characters).
   * @default 500
   */
  maxStringLength?: number
  /**
   * An event sent again with an `Idempotency-Key` already used for the same body. Loops documents
   * 409 on reuse (section 1.6); `success` answers 200 without recording a second event.
   * @default 'conflict'
   */
  idempotentReplay?: 'conflict' | 'success'
  /** @default 86400000 (24 hours) */
  idempotencyTtlMs?: number
}

/** {@link LoopsEmulatorConfig} with every default applied. */
export interface ResolvedLoopsConfig {
  apiKeys: ReadonlySet<string>
  teamName: string
  rateLimit: RateLimitConfig | false
  undeclaredProperties: LoopsUndeclaredPropertyPolicy
  unknownMailingLists: 'reject' | 'ignore'
  maxStringLength: number
  idempotentReplay: 'conflict' | 'success'
  idempotencyTtlMs: number
  retryAfter: boolean
  clock: EmulatorClock
}

/** Applies the defaults. */
export function resolveLoopsConfig(config: LoopsEmulatorConfig): ResolvedLoopsConfig {
  return {
    apiKeys: new Set(config.apiKeys ?? [LOOPS_DEFAULT_API_KEY]),
    teamName: config.teamName ?? 'Outflow Emulator',
    rateLimit: validateRateLimit('loops rateLimit', config.rateLimit ?? { limit: 10, windowMs: 1000 }),
    undeclaredProperties: config.undeclaredProperties ?? 'reject',
    unknownMailingLists: config.unknownMailingLists ?? 'reject',
    maxStringLength: config.maxStringLength ?? 500,
    idempotentReplay: config.idempotentReplay ?? 'conflict',
    idempotencyTtlMs: config.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS,
    retryAfter: config.retryAfter ?? false,
    clock: config.clock ?? systemClock,
  }
}
