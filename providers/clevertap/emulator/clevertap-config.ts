import { systemClock, type EmulatorClock } from '../../../src/emulators/clock.js'
import type { EmulatorConfig } from '../../../src/emulators/emulator.js'

/** The account the CleverTap emulator accepts when none is configured. */
export const CLEVERTAP_DEFAULT_ACCOUNT_ID = 'TEST-ACCOUNT'
/** The passcode the CleverTap emulator accepts when none is configured. */
export const CLEVERTAP_DEFAULT_PASSCODE = 'clevertap-test-passcode'

/** Settings of the CleverTap emulator. One server stands for every region (`eu1`, `in1`, `us1`, ...). */
export interface CleverTapEmulatorConfig extends EmulatorConfig {
  /** @default 'TEST-ACCOUNT' */
  accountId?: string
  /**
   * Accepted passcodes (an account may have several; reference/destinations.md section 3.1).
   * @default ['clevertap-test-passcode']
   */
  passcodes?: readonly string[]
  /**
   * Most records per `/1/upload` (section 3.3: 1000; older docs and the Node SDK: 100).
   * @default 1000
   */
  maxRecordsPerUpload?: number
  /**
   * Uploads in flight at once before 429 "Too many concurrent requests" (section 3.5).
   * @default 15
   */
  maxConcurrentUploads?: number
  /**
   * How long an upload takes, holding its concurrency slot; raise it to reach the limit in tests.
   * @default 0
   */
  uploadLatencyMs?: number
  /**
   * Most properties per event before code 522 (section 3.3: 100 by default, per account).
   * @default 100
   */
  maxEventProperties?: number
  /**
   * `status` of an upload answer. `recorded`: always "success", as the live API answered even
   * when every record failed (section 3.3); `by-outcome`: "success", "partial" or "fail".
   * @default 'recorded'
   */
  uploadStatus?: 'recorded' | 'by-outcome'
}

/** {@link CleverTapEmulatorConfig} with every default applied. */
export interface ResolvedCleverTapConfig {
  accountId: string
  passcodes: ReadonlySet<string>
  maxRecordsPerUpload: number
  maxConcurrentUploads: number
  uploadLatencyMs: number
  maxEventProperties: number
  uploadStatus: 'recorded' | 'by-outcome'
  retryAfter: boolean
  clock: EmulatorClock
}

/** Applies the defaults. */
export function resolveCleverTapConfig(config: CleverTapEmulatorConfig): ResolvedCleverTapConfig {
  return {
    accountId: config.accountId ?? CLEVERTAP_DEFAULT_ACCOUNT_ID,
    passcodes: new Set(config.passcodes ?? [CLEVERTAP_DEFAULT_PASSCODE]),
    maxRecordsPerUpload: config.maxRecordsPerUpload ?? 1000,
    maxConcurrentUploads: config.maxConcurrentUploads ?? 15,
    uploadLatencyMs: config.uploadLatencyMs ?? 0,
    maxEventProperties: config.maxEventProperties ?? 100,
    uploadStatus: config.uploadStatus ?? 'recorded',
    retryAfter: config.retryAfter ?? false,
    clock: config.clock ?? systemClock,
  }
}
