import { BRAZE_DEFAULT_API_KEY, type BrazeEmulatorConfig } from './braze/emulator/braze-config.js'
import {
  CLEVERTAP_DEFAULT_ACCOUNT_ID,
  CLEVERTAP_DEFAULT_PASSCODE,
  type CleverTapEmulatorConfig,
} from './clevertap/emulator/clevertap-config.js'
import { COURIER_DEFAULT_AUTH_TOKEN, type CourierEmulatorConfig } from './courier/emulator/courier-config.js'
import { LOOPS_DEFAULT_API_KEY, type LoopsEmulatorConfig } from './loops/emulator/loops-config.js'

/** The vendors Outflow emulates, in the order `outflow emulate` starts them. */
export const EMULATOR_NAMES = ['loops', 'braze', 'clevertap', 'courier'] as const
export type EmulatorName = (typeof EMULATOR_NAMES)[number]

/** The config type of each emulator. */
export interface EmulatorConfigs {
  loops: LoopsEmulatorConfig
  braze: BrazeEmulatorConfig
  clevertap: CleverTapEmulatorConfig
  courier: CourierEmulatorConfig
}

/** The credentials each emulator accepts when none are configured. */
export const EMULATOR_DEFAULT_CREDENTIALS = {
  loops: { apiKey: LOOPS_DEFAULT_API_KEY },
  braze: { apiKey: BRAZE_DEFAULT_API_KEY },
  clevertap: { accountId: CLEVERTAP_DEFAULT_ACCOUNT_ID, passcode: CLEVERTAP_DEFAULT_PASSCODE },
  courier: { authToken: COURIER_DEFAULT_AUTH_TOKEN },
} as const

/** True when `name` is one of {@link EMULATOR_NAMES}. */
export function isEmulatorName(name: string): name is EmulatorName {
  return (EMULATOR_NAMES as readonly string[]).includes(name)
}
