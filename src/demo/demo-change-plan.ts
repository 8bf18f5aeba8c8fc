import { DEMO_PLANS, DEMO_SUBSCRIBED_SHARE, type DemoEventName, type DemoPlan } from './demo-catalog.js'
import type { DemoRandom } from './demo-random.js'
import {
  amountOf,
  assembleNewLastName,
  assemblePerson,
  DAY_MS,
  formatUserId,
  instantBetween,
  numberEvents,
  priceOf,
  type DemoEvent,
  type DemoEventDraft,
  type DemoUser,
} from './demo-rows.js'

/** A user as the changes need to know them. */
export interface ExistingUser {
  userId: string
  email: string | null
  lastName: string
  country: string
  plan: DemoPlan
  isSubscribed: boolean
}

/** Where the data stands: its users, the last ids given out, and the first instant of the new day. */
export interface DemoChangeContext {
  users: readonly ExistingUser[]
  lastUserNumber: number
  lastEventNumber: number
  dayStart: number
}

/** One day of changes, decided before any is written. Each existing user is in at most one list. */
export interface DemoChangePlan {
  /** Plan raised one tier, with a `plan_upgraded` and an `invoice_paid` event. */
  upgrades: { userId: string; plan: DemoPlan; amountCents: number }[]
  /** Last name changed; the email stays. */
  renames: { userId: string; lastName: string }[]
  /** A `purchase_completed` event, added to the lifetime value. */
  purchases: { userId: string; amountCents: number }[]
  unsubscribes: string[]
  /** Users deleted, with their events. */
  deletions: string[]
  newUsers: DemoUser[]
  /** Every new event: the above, sign-ups, and product activity of users whose rows do not change. */
  events: DemoEvent[]
}

/** How many of each change a day brings. One unsubscribe keeps a 20+ member list within the newsletter's `maxDeletes: 5%`. */
const DAY_SIZE = { upgrades: 3, renames: 2, purchases: 2, unsubscribes: 1, deletions: 1, newUsers: 5, events: 20 }

const ACTIVITY = ['project_created', 'report_exported', 'teammate_invited'] as const satisfies readonly DemoEventName[]

/** Decides a realistic day of changes: pure, so the same data and seed give the same day. */
export function planDemoChanges(random: DemoRandom, context: DemoChangeContext): DemoChangePlan {
  const pick = picker(random, context.users)
  const unsubscribes = pick(DAY_SIZE.unsubscribes, (user) => user.isSubscribed).map((user) => user.userId)
  // Someone not on the newsletter, so the mirror's removals are exactly the unsubscribes.
  const deletions = pick(DAY_SIZE.deletions, (user) => !user.isSubscribed).map((user) => user.userId)
  const upgrades = pick(DAY_SIZE.upgrades, (user) => nextPlan(user.plan) !== undefined).map((user) => {
    const plan = nextPlan(user.plan) ?? user.plan
    return { userId: user.userId, plan, amountCents: priceOf(plan) }
  })
  const renames = pick(DAY_SIZE.renames, () => true)
    .map((user) => ({ userId: user.userId, lastName: assembleNewLastName(random, user.country, user.lastName), before: user.lastName }))
    .filter((rename) => rename.lastName !== rename.before)
    .map(({ userId, lastName }) => ({ userId, lastName }))
  const purchases = pick(DAY_SIZE.purchases, () => true).map((user) => ({
    userId: user.userId,
    amountCents: amountOf(random, 'purchase_completed', user.plan) ?? 0,
  }))
  const newUsers = assembleNewUsers(random, context)
  const { dayStart } = context
  const within = (from: number) => instantBetween(random, from, dayStart + DAY_MS)
  const drafts: DemoEventDraft[] = [
    ...newUsers.flatMap((user) => newUserEvents(random, user, within)),
    ...upgrades.flatMap(({ userId, plan, amountCents }) => {
      const at = instantBetween(random, dayStart, dayStart + DAY_MS - 60_000)
      return [event(userId, 'plan_upgraded', at, plan, null), event(userId, 'invoice_paid', at + 30_000, plan, amountCents)]
    }),
    ...purchases.map(({ userId, amountCents }) =>
      event(userId, 'purchase_completed', within(dayStart), planOf(context, userId), amountCents),
    ),
  ]
  // The rest of the day's events come from users whose rows stay as they are.
  const idle = context.users.filter((user) => !pick.taken.has(user.userId))
  while (drafts.length < DAY_SIZE.events && idle.length > 0) {
    const user = random.pick(idle)
    drafts.push(event(user.userId, random.pick(ACTIVITY), within(dayStart), user.plan, null))
  }
  return { upgrades, renames, purchases, unsubscribes, deletions, newUsers, events: numberEvents(drafts, context.lastEventNumber) }
}

/** Draws users in one shuffled order, each at most once across every call; users without email are left alone. */
function picker(random: DemoRandom, users: readonly ExistingUser[]) {
  const order = random.shuffle(users.filter((user) => user.email !== null))
  const taken = new Set<string>()
  const pick = (count: number, eligible: (user: ExistingUser) => boolean): ExistingUser[] => {
    const chosen = order.filter((user) => !taken.has(user.userId) && eligible(user)).slice(0, count)
    for (const user of chosen) taken.add(user.userId)
    return chosen
  }
  return Object.assign(pick, { taken })
}

/** New sign-ups of the day, all on `free`, with the seeded share subscribed. */
function assembleNewUsers(random: DemoRandom, context: DemoChangeContext): DemoUser[] {
  const usedEmails = new Set(context.users.flatMap((user) => (user.email === null ? [] : [user.email])))
  const signUps = Array.from({ length: DAY_SIZE.newUsers }, () =>
    instantBetween(random, context.dayStart, context.dayStart + DAY_MS - 60_000),
  )
  signUps.sort((a, b) => a - b)
  const subscribed = Math.round(DAY_SIZE.newUsers * DEMO_SUBSCRIBED_SHARE)
  const subscribers = new Set(random.shuffle(signUps.map((_, i) => i)).slice(0, subscribed))
  return signUps.map((signedUpAt, i) => ({
    userId: formatUserId(context.lastUserNumber + i + 1),
    ...assemblePerson(random, usedEmails),
    plan: 'free',
    signedUpAt,
    lifetimeValueCents: 0,
    isSubscribed: subscribers.has(i),
  }))
}

function newUserEvents(random: DemoRandom, user: DemoUser, within: (from: number) => number): DemoEventDraft[] {
  const signedUp = event(user.userId, 'signed_up', user.signedUpAt, user.plan, null)
  return random.chance(0.5) ? [signedUp, event(user.userId, 'trial_started', within(user.signedUpAt + 1000), user.plan, null)] : [signedUp]
}

function event(userId: string, eventName: DemoEventName, occurredAt: number, plan: DemoPlan, amountCents: number | null): DemoEventDraft {
  return { userId, eventName, occurredAt, plan, amountCents }
}

function planOf(context: DemoChangeContext, userId: string): DemoPlan {
  return context.users.find((user) => user.userId === userId)?.plan ?? 'free'
}

/** The next plan up, or undefined on the top one. */
export function nextPlan(plan: DemoPlan): DemoPlan | undefined {
  const index = DEMO_PLANS.findIndex((candidate) => candidate.name === plan)
  return DEMO_PLANS[index + 1]?.name
}
