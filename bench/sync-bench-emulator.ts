/**
 * The emulator process of the sync benchmark: `tsx bench/sync-bench-emulator.ts <vendor> '<config JSON>'`.
 * It runs apart from the runner so that the runner's peak RSS and event loop are its own, and it
 * notes every vendor exchange (when it was answered, its status, how many records it carried),
 * which the request log cannot give: that log keeps no bodies and only the last N requests.
 *
 * Protocol, one line each way: it prints `url <URL>` once listening; for each `report` read on
 * stdin it prints `report <JSON Exchange[]>` and forgets them; for each `memory`, `memory <JSON
 * EmulatorMemory>`. It exits when stdin closes, so it never outlives the benchmark.
 */
import { createInterface } from 'node:readline'

import type { EmulatorConfigs, EmulatorExchange, EmulatorName } from '../providers/emulators.js'
import { createEmulator, isEmulatorName } from '../providers/emulators.js'
import { isRecord } from '../src/util/is-record.js'

/** One vendor request as the benchmark reads it. */
export interface Exchange {
  /** When the answer was ready: epoch milliseconds, sub-millisecond, comparable with the runner's clock. */
  at: number
  operation: string
  status: number
  /** Records the request carried: users, profiles or ids in a batch, one for a single contact. */
  records: number
}

/** The emulator process's memory: what holding the vendor's state costs. */
export interface EmulatorMemory {
  /** Peak resident set of the process so far. */
  peakRssMb: number
  /** The JS heap now. */
  heapMb: number
}

const [name = '', configJson = '{}'] = process.argv.slice(2)
if (!isEmulatorName(name)) throw new Error(`unknown emulator "${name}"`)
const vendor: EmulatorName = name
const exchanges: Exchange[] = []
const config = JSON.parse(configJson) as EmulatorConfigs[typeof vendor]
const emulator = createEmulator(vendor, {
  ...config,
  onExchange: (exchange: EmulatorExchange) =>
    exchanges.push({
      at: performance.timeOrigin + performance.now(),
      operation: exchange.operation,
      status: exchange.status,
      records: recordsIn(exchange.requestBody),
    }),
})
const url = await emulator.start()
process.stdout.write(`url ${url}\n`)

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'report') {
    process.stdout.write(`report ${JSON.stringify(exchanges)}\n`)
    exchanges.length = 0
  } else if (line === 'memory') {
    const memory: EmulatorMemory = {
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    }
    process.stdout.write(`memory ${JSON.stringify(memory)}\n`)
  }
}
await emulator.stop()

/** The batch size of a request body: Braze `attributes`/`events` and `external_ids`, CleverTap `d`; otherwise one. */
function recordsIn(body: unknown): number {
  if (!isRecord(body)) return 1
  let count = 0
  for (const list of ['attributes', 'events', 'purchases', 'external_ids', 'd']) {
    const value = body[list]
    if (Array.isArray(value)) count += value.length
  }
  return count === 0 ? 1 : count
}
