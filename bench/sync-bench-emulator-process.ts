import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

import type { EmulatorConfigs, EmulatorName } from '../providers/emulators.js'
import type { EmulatorMemory, Exchange } from './sync-bench-emulator.js'

/** An emulator running in a process of its own (see sync-bench-emulator.ts), driven over its stdin and stdout. */
export interface EmulatorProcess {
  readonly url: string
  /** The exchanges since the last report. */
  report(): Promise<Exchange[]>
  /** The process's peak RSS and current heap. */
  memory(): Promise<EmulatorMemory>
  stop(): Promise<void>
}

const SCRIPT = fileURLToPath(new URL('./sync-bench-emulator.ts', import.meta.url))

/** Starts the emulator of `vendor` with `config` under the same Node and loader as this process. */
export async function startEmulatorProcess<N extends EmulatorName>(vendor: N, config: EmulatorConfigs[N]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [...process.execArgv, SCRIPT, vendor, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const next = async (prefix: string): Promise<string> => {
    const line = await Promise.race([lines.next(), exited.then(() => ({ done: true as const, value: undefined }))])
    if (line.done === true || !line.value.startsWith(prefix)) throw new Error(`the ${vendor} emulator process stopped or answered oddly`)
    return line.value.slice(prefix.length).trim()
  }
  const url = await next('url')
  return {
    url,
    report: async () => {
      child.stdin.write('report\n')
      return JSON.parse(await next('report')) as Exchange[]
    },
    memory: async () => {
      child.stdin.write('memory\n')
      return JSON.parse(await next('memory')) as EmulatorMemory
    },
    stop: async () => {
      child.stdin.end()
      await exited
    },
  }
}
