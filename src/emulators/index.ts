export { EMULATOR_DEFAULTS, type Emulator, type EmulatorConfig, type EmulatorExchange } from './emulator.js'
export { ManualClock, systemClock, type EmulatorClock } from './clock.js'
export {
  FAULT_KINDS,
  validateFaultRules,
  type DelayFault,
  type DropFault,
  type FaultMatch,
  type FaultRule,
  type FaultRuleBase,
  type StatusFault,
} from './fault-rule.js'
export type { FaultRuleStatus } from './fault-injector.js'
export type { RateLimitConfig } from './rate-limit.js'
export type { RequestLogEntry } from './request-log.js'
export type { OpenApiValidator } from './openapi-validator.js'
export { EMULATOR_DEFAULT_CREDENTIALS, EMULATOR_NAMES, isEmulatorName, type EmulatorConfigs, type EmulatorName } from './emulator-names.js'
export { createEmulator } from './emulator-registry.js'
export { createLoopsEmulator, startLoopsEmulator, type LoopsEmulator } from './loops/loops-emulator.js'
export { LOOPS_DEFAULT_API_KEY, type LoopsEmulatorConfig, type LoopsUndeclaredPropertyPolicy } from './loops/loops-config.js'
export { loopsOpenApi } from './loops/loops-openapi.js'
export {
  LOOPS_PROPERTY_TYPES,
  type LoopsContactProperty,
  type LoopsEvent,
  type LoopsMailingList,
  type LoopsPropertyType,
  type LoopsStateSnapshot,
} from './loops/loops-state.js'
export { createBrazeEmulator, startBrazeEmulator, type BrazeEmulator } from './braze/braze-emulator.js'
export {
  BRAZE_DEFAULT_API_KEY,
  BRAZE_PERMISSIONS,
  type BrazeApiKey,
  type BrazeEmulatorConfig,
  type BrazePermission,
  type BrazeRateLimits,
} from './braze/braze-config.js'
export type { BrazeObjectError } from './braze/braze-errors.js'
export type { BrazeEvent, BrazePurchase, BrazeSegment, BrazeStateSnapshot, BrazeUser, BrazeUserAlias } from './braze/braze-state.js'
export { createCleverTapEmulator, startCleverTapEmulator, type CleverTapEmulator } from './clevertap/clevertap-emulator.js'
export { CLEVERTAP_DEFAULT_ACCOUNT_ID, CLEVERTAP_DEFAULT_PASSCODE, type CleverTapEmulatorConfig } from './clevertap/clevertap-config.js'
export type { CleverTapEvent, CleverTapProfile, CleverTapStateSnapshot } from './clevertap/clevertap-state.js'
export { createCourierEmulator, startCourierEmulator, type CourierEmulator } from './courier/courier-emulator.js'
export { COURIER_DEFAULT_AUTH_TOKEN, type CourierEmulatorConfig } from './courier/courier-config.js'
export { courierOpenApi } from './courier/courier-openapi.js'
export type { CourierList, CourierProfile, CourierStateSnapshot, CourierSubscription } from './courier/courier-state.js'
