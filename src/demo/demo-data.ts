import type { WarehouseAdapter } from '../warehouse/warehouse-adapter.js'
import { DEMO_DATA_END, DEMO_PLANS, DEMO_SIGN_UP_DAYS, DEMO_SUBSCRIBED_SHARE } from './demo-catalog.js'
import { DemoRandom } from './demo-random.js'
import {
  assembleLifecycle,
  assemblePerson,
  DAY_MS,
  formatUserId,
  instantBetween,
  numberEvents,
  PAYING_HISTORY_EVENTS,
  type DemoEvent,
  type DemoUser,
} from './demo-rows.js'
import { createDemoTables, insertEvents, insertUsers } from './demo-tables.js'

export { changeDemoData, type DemoChanges, type DemoChangeOptions } from './demo-changes.js'

/** Options of {@link seedDemoData}. */
export interface DemoSeedOptions {
  /**
   * Users to create. The default keeps the first Loops run near 16 s: Loops takes one contact per
   * request at 10 requests a second, and a new contact costs two (the create and its trigger event).
   * @default 80
   */
  users?: number
  /**
   * Events per user, on average (each user has at least one, `signed_up`).
   * @default 5
   */
  eventsPerUser?: number
  /**
   * Seed of the pseudo-random generator: the same seed gives the same rows.
   * @default 1
   */
  seed?: number
}

/** What {@link seedDemoData} wrote. */
export interface DemoSeedResult {
  users: number
  events: number
}

/**
 * Creates (or replaces) the demo warehouse's `users` and `events` tables, shaped as the syncs in
 * `syncs/` read them, and fills them with sample users and their product events.
 *
 * About 40% of users are subscribed to the newsletter, so the Courier newsletter list is large
 * enough that one unsubscribe stays within its `maxDeletes: 5%`. One user (when there are at least
 * two) has no email: Loops keys contacts by email, so that row is rejected by validation there as
 * a null key, and accepted by every other sync.
 *
 * @example
 * const adapter = await createDuckdbAdapter({ path: ':memory:' })
 * await seedDemoData(adapter) // { users: 80, events: 411 }
 */
export async function seedDemoData(adapter: WarehouseAdapter, options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const { users, events } = assembleDemoData(options)
  await createDemoTables(adapter)
  await adapter.transaction(async (tx) => {
    await insertUsers(tx, users)
    await insertEvents(tx, events)
  })
  return { users: users.length, events: events.length }
}

/** The seeded rows, without touching a warehouse. */
export function assembleDemoData(options: DemoSeedOptions = {}): { users: DemoUser[]; events: DemoEvent[] } {
  const count = positiveInteger('users', options.users ?? 80)
  const eventsPerUser = positiveInteger('eventsPerUser', options.eventsPerUser ?? 5)
  const random = new DemoRandom(options.seed ?? 1)
  const signUps = Array.from({ length: count }, () =>
    instantBetween(random, DEMO_DATA_END - DEMO_SIGN_UP_DAYS * DAY_MS, DEMO_DATA_END - DAY_MS),
  )
  signUps.sort((a, b) => a - b)
  const usedEmails = new Set<string>()
  const users: DemoUser[] = signUps.map((signedUpAt, i) => ({
    userId: formatUserId(i + 1),
    ...assemblePerson(random, usedEmails),
    plan: random.weighted(DEMO_PLANS).name,
    signedUpAt,
    lifetimeValueCents: 0,
    isSubscribed: false,
  }))
  const drafts = users.flatMap((user) => {
    const drawn = 1 + random.int(0, 2 * (eventsPerUser - 1))
    const lifecycle = assembleLifecycle(
      random,
      user,
      user.plan === 'free' ? drawn : Math.max(drawn, Math.min(PAYING_HISTORY_EVENTS, eventsPerUser)),
      DEMO_DATA_END,
    )
    user.lifetimeValueCents = lifecycle.reduce((sum, event) => sum + (event.amountCents ?? 0), 0)
    return lifecycle
  })
  if (count >= 2) random.pick(users).email = null
  const reachable = users.filter((user) => user.email !== null)
  for (const user of random.shuffle(reachable).slice(0, Math.round(count * DEMO_SUBSCRIBED_SHARE))) user.isSubscribed = true
  return { users, events: numberEvents(drafts, 0) }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`demo data: ${name} must be a positive integer, not ${value}`)
  return value
}
