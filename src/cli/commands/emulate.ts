import type { Command } from 'commander'

import type { Emulator } from '../../emulators/emulator.js'
import {
  EMULATOR_DEFAULT_CREDENTIALS,
  EMULATOR_NAMES,
  isEmulatorName,
  type EmulatorConfigs,
  type EmulatorName,
} from '../../../providers/emulator-names.js'
import { EXIT, type CliIO } from '../cli-io.js'
import { plural } from '../plural.js'
import { UsageError } from '../usage-error.js'

/** The options of `outflow emulate`, as commander parses them. */
interface EmulateOptions {
  port?: string
  host: string
  loopsApiKey: string
  brazeApiKey: string
  clevertapAccountId: string
  clevertapPasscode: string
  courierAuthToken: string
}

/** Which emulators to start, where, and with which credentials. */
export interface EmulatePlan {
  names: readonly EmulatorName[]
  host: string
  /** The first port; the others follow in order. `undefined`: a free port each. */
  firstPort: number | undefined
  configs: EmulatorConfigs
}

const HELP_AFTER = `
Each emulator prints one line, "NAME URL", then all run until SIGINT (Ctrl+C) or SIGTERM.
Point a Destination's baseUrl (Braze: restEndpoint) at the URL. Every emulator also serves
/_emulator/state, /_emulator/reset, /_emulator/faults and /_emulator/requests (see README).

Default credentials:
  loops      API key ${EMULATOR_DEFAULT_CREDENTIALS.loops.apiKey}
  braze      REST API key ${EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey} (every permission)
  clevertap  account ${EMULATOR_DEFAULT_CREDENTIALS.clevertap.accountId}, passcode ${EMULATOR_DEFAULT_CREDENTIALS.clevertap.passcode}
  courier    auth token ${EMULATOR_DEFAULT_CREDENTIALS.courier.authToken}

Examples:
  outflow emulate
  outflow emulate loops courier --port 4010`

/** Registers `outflow emulate [vendors...]`. */
export function registerEmulate(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const credentials = EMULATOR_DEFAULT_CREDENTIALS
  program
    .command('emulate')
    .description('Run local emulators of the destination APIs, for tests and CI without credentials.')
    .argument('[vendors...]', `emulators to start: ${EMULATOR_NAMES.join(', ')} (default: all)`)
    .option('--port <port>', 'port of the first emulator; the next ones take the following ports (default: free ports)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--loops-api-key <key>', 'API key the Loops emulator accepts', credentials.loops.apiKey)
    .option('--braze-api-key <key>', 'REST API key the Braze emulator accepts', credentials.braze.apiKey)
    .option('--clevertap-account-id <id>', 'account ID the CleverTap emulator accepts', credentials.clevertap.accountId)
    .option('--clevertap-passcode <passcode>', 'passcode the CleverTap emulator accepts', credentials.clevertap.passcode)
    .option('--courier-auth-token <token>', 'auth token the Courier emulator accepts', credentials.courier.authToken)
    .addHelpText('after', HELP_AFTER)
    .action(async (vendors: string[], options: EmulateOptions) => {
      setExit(await runEmulators(planEmulate(vendors, options), io, untilTerminated()))
    })
}

/** Checks the command line and turns it into a plan; throws {@link UsageError} (exit 2). */
export function planEmulate(vendors: readonly string[], options: EmulateOptions): EmulatePlan {
  const unknown = vendors.filter((name) => !isEmulatorName(name))
  if (unknown.length > 0)
    throw new UsageError(`unknown emulator ${unknown.map((n) => `"${n}"`).join(', ')}: expected ${EMULATOR_NAMES.join(', ')}`)
  const names = vendors.length === 0 ? [...EMULATOR_NAMES] : [...new Set(vendors as EmulatorName[])]
  const firstPort = options.port === undefined ? undefined : Number(options.port)
  if (firstPort !== undefined && (!Number.isInteger(firstPort) || firstPort < 1 || firstPort + names.length - 1 > 65535)) {
    throw new UsageError(`invalid --port "${options.port ?? ''}": expected a port from 1 to ${65536 - names.length}`)
  }
  return {
    names,
    host: options.host,
    firstPort,
    configs: {
      loops: { apiKeys: [options.loopsApiKey] },
      braze: { apiKeys: [options.brazeApiKey] },
      clevertap: { accountId: options.clevertapAccountId, passcodes: [options.clevertapPasscode] },
      courier: { authTokens: [options.courierAuthToken] },
    },
  }
}

/**
 * Starts the planned emulators, prints `NAME URL` per emulator, waits for `until`, then stops them.
 * Returns the exit status: 1 when one could not start (the others are stopped again).
 */
export async function runEmulators(plan: EmulatePlan, io: CliIO, until: Promise<void>): Promise<number> {
  // Loaded here, not at the top: the emulators bring the vendors' OpenAPI documents, which other commands never need.
  const { createEmulator } = await import('../../../providers/emulator-registry.js')
  const running: Emulator[] = []
  for (const [index, name] of plan.names.entries()) {
    const port = plan.firstPort === undefined ? 0 : plan.firstPort + index
    const emulator = createEmulator(name, { ...plan.configs[name], host: plan.host, port })
    try {
      await emulator.start()
    } catch (error) {
      await Promise.all(running.map((e) => e.stop()))
      io.stderr(
        `outflow: cannot start the ${name} emulator on ${plan.host}:${port}: ${error instanceof Error ? error.message : String(error)}\n`,
      )
      return EXIT.failed
    }
    running.push(emulator)
  }
  for (const emulator of running) io.stdout(`${emulator.name} ${emulator.url}\n`)
  io.stderr(`outflow: ${plural(running.length, 'emulator')} running; stop with Ctrl+C\n`)
  await until
  await Promise.all(running.map((e) => e.stop()))
  return EXIT.ok
}

/** Resolves on the first SIGINT or SIGTERM; handling them keeps Node from exiting before the servers close. */
function untilTerminated(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
