export { EMULATOR_DEFAULTS, type Emulator, type EmulatorConfig, type EmulatorExchange } from '../src/emulators/emulator.js'
export { ManualClock, systemClock, type EmulatorClock } from '../src/emulators/clock.js'
export {
  FAULT_KINDS,
  validateFaultRules,
  type DelayFault,
  type DropFault,
  type FaultMatch,
  type FaultRule,
  type FaultRuleBase,
  type StatusFault,
} from '../src/emulators/fault-rule.js'
export type { FaultRuleStatus } from '../src/emulators/fault-injector.js'
export type { RateLimitConfig } from '../src/emulators/rate-limit.js'
export type { RequestLogEntry } from '../src/emulators/request-log.js'
export type { OpenApiValidator } from '../src/emulators/openapi-validator.js'
export { EMULATOR_DEFAULT_CREDENTIALS, EMULATOR_NAMES, isEmulatorName, type EmulatorConfigs, type EmulatorName } from './emulator-names.js'
export { createEmulator } from './emulator-registry.js'
export { createLoopsEmulator, startLoopsEmulator, type LoopsEmulator } from './loops/emulator/loops-emulator.js'
export { LOOPS_DEFAULT_API_KEY, type LoopsEmulatorConfig, type LoopsUndeclaredPropertyPolicy } from './loops/emulator/loops-config.js'
export { loopsOpenApi } from './loops/emulator/loops-openapi.js'
export {
  LOOPS_PROPERTY_TYPES,
  type LoopsContactProperty,
  type LoopsEvent,
  type LoopsMailingList,
  type LoopsPropertyType,
  type LoopsStateSnapshot,
} from './loops/emulator/loops-state.js'
export { createBrazeEmulator, startBrazeEmulator, type BrazeEmulator } from './braze/emulator/braze-emulator.js'
export {
  BRAZE_DEFAULT_API_KEY,
  BRAZE_PERMISSIONS,
  type BrazeApiKey,
  type BrazeEmulatorConfig,
  type BrazePermission,
  type BrazeRateLimits,
} from './braze/emulator/braze-config.js'
export type { BrazeObjectError } from './braze/emulator/braze-errors.js'
export type {
  BrazeEvent,
  BrazePurchase,
  BrazeSegment,
  BrazeStateSnapshot,
  BrazeUser,
  BrazeUserAlias,
} from './braze/emulator/braze-state.js'
export { createCleverTapEmulator, startCleverTapEmulator, type CleverTapEmulator } from './clevertap/emulator/clevertap-emulator.js'
export {
  CLEVERTAP_DEFAULT_ACCOUNT_ID,
  CLEVERTAP_DEFAULT_PASSCODE,
  type CleverTapEmulatorConfig,
} from './clevertap/emulator/clevertap-config.js'
export type { CleverTapEvent, CleverTapProfile, CleverTapStateSnapshot } from './clevertap/emulator/clevertap-state.js'
export { createCourierEmulator, startCourierEmulator, type CourierEmulator } from './courier/emulator/courier-emulator.js'
export { COURIER_DEFAULT_AUTH_TOKEN, type CourierEmulatorConfig } from './courier/emulator/courier-config.js'
export { courierOpenApi } from './courier/emulator/courier-openapi.js'
export type { CourierList, CourierProfile, CourierStateSnapshot, CourierSubscription } from './courier/emulator/courier-state.js'
