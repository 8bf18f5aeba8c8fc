import type { Emulator } from '../src/emulators/emulator.js'
import { createBrazeEmulator } from './braze/emulator/braze-emulator.js'
import { createCleverTapEmulator } from './clevertap/emulator/clevertap-emulator.js'
import { createCourierEmulator } from './courier/emulator/courier-emulator.js'
import type { EmulatorConfigs, EmulatorName } from './emulator-names.js'
import { createLoopsEmulator } from './loops/emulator/loops-emulator.js'

/** Each vendor's factory, typed so that a name and its config stay paired. */
const FACTORIES: { [N in EmulatorName]: (config: EmulatorConfigs[N]) => Emulator } = {
  loops: createLoopsEmulator,
  braze: createBrazeEmulator,
  clevertap: createCleverTapEmulator,
  courier: createCourierEmulator,
}

/** Creates (without starting) the emulator of a vendor. */
export function createEmulator<N extends EmulatorName>(name: N, config: EmulatorConfigs[N] = {}): Emulator {
  const factory: (config: EmulatorConfigs[N]) => Emulator = FACTORIES[name]
  return factory(config)
}
