import { systemClock, type EmulatorClock } from '../../../src/emulators/clock.js'
import type { EmulatorConfig } from '../../../src/emulators/emulator.js'
import { validateRateLimit, type RateLimitConfig } from '../../../src/emulators/rate-limit.js'
import type { BrazeSegment } from './braze-state.js'

/** The REST API key the Braze emulator accepts when none is configured; it has every permission. */
export const BRAZE_DEFAULT_API_KEY = 'braze-test-key'

/** REST API key permissions the emulated endpoints check (reference/destinations.md section 2.1). */
export const BRAZE_PERMISSIONS = ['users.track', 'users.delete', 'users.export.ids', 'segments.list'] as const
export type BrazePermission = (typeof BRAZE_PERMISSIONS)[number]

/** A REST API key and what it may call. */
export interface BrazeApiKey {
  key: string
  /** @default 'all' */
  permissions?: readonly BrazePermission[] | 'all'
}

/** Rate-limit groups, each with its own window (reference section 2.5). */
export interface BrazeRateLimits {
  /** @default { limit: 3000, windowMs: 3000 } */
  usersTrack?: RateLimitConfig | false
  /** Shared with alias/identify/merge at Braze. @default { limit: 20000, windowMs: 60000 } */
  usersDelete?: RateLimitConfig | false
  /** 250/min for workspaces onboarded since 2024-08-22 (2,500/min before). @default { limit: 250, windowMs: 60000 } */
  usersExportIds?: RateLimitConfig | false
  /** Every other endpoint, `/segments/list` included. @default { limit: 250000, windowMs: 3600000 } */
  default?: RateLimitConfig | false
}

/** Settings of the Braze emulator. */
export interface BrazeEmulatorConfig extends EmulatorConfig {
  /**
   * Accepted REST API keys; a plain string has every permission.
   * @default ['braze-test-key']
   */
  apiKeys?: readonly (string | BrazeApiKey)[]
  rateLimits?: BrazeRateLimits
  /**
   * Most objects in each `/users/track` array (reference section 2.3).
   * @default 75
   */
  maxObjectsPerArray?: number
  /** A cap on objects across the three arrays, for "Monthly Active Users CY 24-25" contracts (50). Off by default. */
  maxObjectsPerRequest?: number
  /** Segments `/segments/list` returns (the API cannot create them; `POST /_emulator/seed` can). */
  segments?: readonly BrazeSegment[]
}

/** The rate-limit groups of {@link BrazeRateLimits}. */
export type BrazeRateGroup = keyof BrazeRateLimits

/** {@link BrazeEmulatorConfig} with every default applied. */
export interface ResolvedBrazeConfig {
  apiKeys: ReadonlyMap<string, ReadonlySet<BrazePermission>>
  rateLimits: Record<BrazeRateGroup, RateLimitConfig | false>
  maxObjectsPerArray: number
  maxObjectsPerRequest: number
  retryAfter: boolean
  clock: EmulatorClock
}

/** Applies the defaults. */
export function resolveBrazeConfig(config: BrazeEmulatorConfig): ResolvedBrazeConfig {
  const limits = config.rateLimits ?? {}
  const apiKeys = new Map<string, ReadonlySet<BrazePermission>>()
  for (const entry of config.apiKeys ?? [BRAZE_DEFAULT_API_KEY]) {
    const { key, permissions = 'all' } = typeof entry === 'string' ? { key: entry } : entry
    apiKeys.set(key, new Set(permissions === 'all' ? BRAZE_PERMISSIONS : permissions))
  }
  return {
    apiKeys,
    rateLimits: {
      usersTrack: validateRateLimit('braze usersTrack', limits.usersTrack ?? { limit: 3000, windowMs: 3000 }),
      usersDelete: validateRateLimit('braze usersDelete', limits.usersDelete ?? { limit: 20_000, windowMs: 60_000 }),
      usersExportIds: validateRateLimit('braze usersExportIds', limits.usersExportIds ?? { limit: 250, windowMs: 60_000 }),
      default: validateRateLimit('braze default', limits.default ?? { limit: 250_000, windowMs: 3_600_000 }),
    },
    maxObjectsPerArray: config.maxObjectsPerArray ?? 75,
    maxObjectsPerRequest: config.maxObjectsPerRequest ?? Number.POSITIVE_INFINITY,
    retryAfter: config.retryAfter ?? false,
    clock: config.clock ?? systemClock,
  }
}
