import { mkdir, rm } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'

import { runnablesOf } from '../engine/runnable-sync.js'
import { runSyncs } from '../engine/run-syncs.js'
import type { SyncRunResult } from '../engine/sync-run-result.js'
import { WarehousePool } from '../engine/warehouse-pool.js'
import {
  EMULATOR_DEFAULT_CREDENTIALS,
  startBrazeEmulator,
  startCleverTapEmulator,
  startCourierEmulator,
  startLoopsEmulator,
  type Emulator,
} from '../../providers/emulators.js'
import { loadValidSpecs } from '../spec/load-valid-specs.js'
import type { DestinationSpec } from '../model/spec-types.js'
import { changeDemoData, seedDemoData } from './demo-data.js'

/** The four emulators of a demo run, by destination type. */
interface DemoEmulators {
  loops: Awaited<ReturnType<typeof startLoopsEmulator>>
  braze: Awaited<ReturnType<typeof startBrazeEmulator>>
  clevertap: Awaited<ReturnType<typeof startCleverTapEmulator>>
  courier: Awaited<ReturnType<typeof startCourierEmulator>>
}

/** What a demo run printed and counted, for its test. */
export interface DemoOutcome {
  first: SyncRunResult[]
  second: SyncRunResult[]
  third: SyncRunResult[]
  /** Vendor requests each round made, by destination. */
  requests: Record<string, number>[]
}

/**
 * The demo: seeds an embedded DuckDB warehouse with sample users and events, starts the four
 * destination emulators in this process, runs every sync in `syncs/` against them, changes a
 * day's worth of rows, runs again and shows that only the changes went out, then runs a third
 * time to show that nothing changed means nothing sent.
 */
export async function runDemo(specsDir: string, print: (line: string) => void): Promise<DemoOutcome> {
  const specs = await loadValidSpecs(specsDir)
  const emulators = await startEmulators()
  const warehouses = new WarehousePool({})
  try {
    const syncs = runnablesOf(specs).map((runnable) => ({ ...runnable, destination: pointAt(runnable.destination, emulators) }))
    const source = specs.sources[0]
    if (source === undefined) throw new Error(`${specsDir} defines no Source`)
    if (source.connection.type === 'duckdb' && source.connection.path !== undefined) {
      // A fresh warehouse each time, so the demo tells the same story on every run.
      await mkdir(dirname(source.connection.path), { recursive: true })
      await rm(source.connection.path, { force: true })
      await rm(`${source.connection.path}.wal`, { force: true })
    }
    const warehouse = await warehouses.get(source)
    const seeded = await seedDemoData(warehouse)
    print(`Seeded ${source.connection.type} warehouse "${source.name}": ${seeded.users} users, ${seeded.events} events.`)
    print(`Destinations: local emulators of Loops, Braze, CleverTap and Courier, started in this process.\n`)

    const round = async (title: string): Promise<{ results: SyncRunResult[]; requests: Record<string, number> }> => {
      print(`== ${title}`)
      const before = requestCounts(emulators)
      const results = await runSyncs(syncs, { credentials: demoCredentials(), warehouses, onResult: (r) => print(resultLine(r)) })
      const after = requestCounts(emulators)
      const requests = Object.fromEntries(Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]))
      print(
        `   requests received: ${Object.entries(requests)
          .map(([name, n]) => `${name} ${n}`)
          .join(', ')}\n`,
      )
      return { results, requests }
    }

    const first = await round('Run 1: first sync, every row is new')
    print(destinationsLine(emulators))
    const changes = await changeDemoData(warehouse)
    print(
      `\nA day passes (${changes.day}): ${changes.newUsers} users sign up, ${changes.updatedUsers} change (plan, name or purchases), ` +
        `${changes.unsubscribed} unsubscribes from the newsletter, ${changes.deletedUsers} is deleted, ${changes.newEvents} new events.\n`,
    )
    const second = await round('Run 2: only the changes are sent')
    print(destinationsLine(emulators))
    const third = await round('Run 3: nothing changed, nothing is sent')
    const shown = relative(process.cwd(), specsDir) || '.'
    print(`Rows refused before sending are listed with their reason: npx outflow rejected loops-contacts --from-dir ${shown}`)
    print(`History of the runs, kept in the warehouse:          npx outflow status --from-dir ${shown}`)
    return {
      first: first.results,
      second: second.results,
      third: third.results,
      requests: [first.requests, second.requests, third.requests],
    }
  } finally {
    await warehouses.closeAll()
    await Promise.all(Object.values(emulators).map((emulator: Emulator) => emulator.stop()))
  }
}

async function startEmulators(): Promise<DemoEmulators> {
  const [loops, braze, clevertap, courier] = await Promise.all([
    // The mailing list the loops-contacts sync subscribes to; Loops' API cannot create lists.
    startLoopsEmulator({ mailingLists: [{ id: 'product-updates', name: 'Product updates' }] }),
    startBrazeEmulator(),
    startCleverTapEmulator(),
    startCourierEmulator(),
  ])
  return { loops, braze, clevertap, courier }
}

/** The destination, pointed at its emulator instead of the vendor. */
function pointAt(destination: DestinationSpec, emulators: DemoEmulators): DestinationSpec {
  const connection = destination.connection
  switch (connection.type) {
    case 'braze':
      return { ...destination, connection: { ...connection, restEndpoint: emulators.braze.url } }
    case 'clevertap':
      return {
        ...destination,
        connection: { ...connection, accountId: EMULATOR_DEFAULT_CREDENTIALS.clevertap.accountId, baseUrl: emulators.clevertap.url },
      }
    case 'loops':
      return { ...destination, connection: { ...connection, baseUrl: emulators.loops.url } }
    case 'courier':
      return { ...destination, connection: { ...connection, baseUrl: emulators.courier.url } }
  }
}

/** The emulators' default credentials under the names `syncs/destinations.yaml` references. */
function demoCredentials(): Record<string, string> {
  const c = EMULATOR_DEFAULT_CREDENTIALS
  return {
    LOOPS_API_KEY: c.loops.apiKey,
    BRAZE_API_KEY: c.braze.apiKey,
    CLEVERTAP_PASSCODE: c.clevertap.passcode,
    COURIER_AUTH_TOKEN: c.courier.authToken,
  }
}

function requestCounts(emulators: DemoEmulators): Record<string, number> {
  return Object.fromEntries(Object.entries(emulators).map(([name, emulator]: [string, Emulator]) => [name, emulator.requests().length]))
}

function resultLine(result: SyncRunResult): string {
  const c = result.counts
  const what =
    c.baselined > 0
      ? `${c.baselined} existing events recorded as sent (backfill: false), none sent`
      : `${c.added} new, ${c.changed} changed, ${c.removed} removed -> ${c.synced} sent, ${c.rejected} rejected`
  const error = result.error === undefined ? '' : ` (${result.error.code}: ${result.error.message})`
  return `   ${result.sync.padEnd(20)} ${result.status.padEnd(9)} ${what}${error}`
}

function destinationsLine(emulators: DemoEmulators): string {
  const loops = emulators.loops.state()
  const braze = emulators.braze.state()
  const clevertap = emulators.clevertap.state()
  const courier = emulators.courier.state()
  const members = Object.values(courier.subscriptions).reduce((sum, list) => sum + list.length, 0)
  return (
    `   destinations hold: Loops ${loops.contacts.length} contacts (${loops.events.length} trigger events); ` +
    `Braze ${braze.users.length} users, ${braze.events.length} events; CleverTap ${clevertap.profiles.length} profiles, ${clevertap.events.length} events; ` +
    `Courier ${Object.keys(courier.profiles).length} profiles, ${members} newsletter members`
  )
}

/** Where `npm run demo` finds the specs: `syncs/` beside the package. */
export function defaultSpecsDir(): string {
  return resolve(import.meta.dirname, '../../../syncs')
}
