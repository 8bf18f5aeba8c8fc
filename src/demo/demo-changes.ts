import { field, textField } from '../warehouse/row-field.js'
import type { WarehouseAdapter, WarehouseExecutor } from '../warehouse/warehouse-adapter.js'
import { DEMO_DATA_END, DEMO_PLANS, type DemoPlan } from './demo-catalog.js'
import { planDemoChanges, type DemoChangeContext, type DemoChangePlan, type ExistingUser } from './demo-change-plan.js'
import { DemoRandom, mixSeed } from './demo-random.js'
import { DAY_MS, idNumber } from './demo-rows.js'
import { formatCents, insertEvents, insertUsers } from './demo-tables.js'

/** Options of {@link changeDemoData}. */
export interface DemoChangeOptions {
  /**
   * Seed of the pseudo-random generator, mixed with the day: the same data and seed give the same changes.
   * @default 1
   */
  seed?: number
}

/**
 * What {@link changeDemoData} did. Each existing user is in at most one group, so what a sync should
 * send follows from the columns it reads (with the default sizes):
 *
 * | Sync | created | updated | removed |
 * | --- | --- | --- | --- |
 * | braze-users, loops-contacts (plan, lifetime value, names) | `newUsers` | `upgradedUsers + renamedUsers + purchasers` | |
 * | clevertap-profiles (plan, name, subscription) | `newUsers` | `upgradedUsers + renamedUsers + unsubscribed` | |
 * | courier-profiles (names, email, locale) | `newUsers` | `renamedUsers` | |
 * | courier-newsletter (subscribed users' email, first name) | `newSubscribers` | 0 | `unsubscribed` |
 * | braze-events | `newEvents` | | |
 * | clevertap-events (`purchase_completed`) | `newPurchases` | | |
 *
 * The deleted user was not subscribed, so no sync removes anything for it (only the newsletter mirrors).
 */
export interface DemoChanges {
  /** The day the changes happened, `YYYY-MM-DD`: the day after the latest event. */
  day: string
  /** Existing users whose row changed: upgraded, renamed, purchasers and unsubscribed. */
  updatedUsers: number
  /** Plan raised one tier; lifetime value up by the new plan's first invoice. */
  upgradedUsers: number
  /** Last name changed. */
  renamedUsers: number
  /** Lifetime value up by a purchase. */
  purchasers: number
  /** `is_subscribed` true → false. */
  unsubscribed: number
  newUsers: number
  /** New users with `is_subscribed` true. */
  newSubscribers: number
  deletedUsers: number
  /** Events of the deleted users, deleted with them. */
  deletedEvents: number
  newEvents: number
  /** New `purchase_completed` events (also counted in `newEvents`). */
  newPurchases: number
  /** The users of each group, for showing examples. */
  userIds: { upgraded: string[]; renamed: string[]; purchasers: string[]; unsubscribed: string[]; new: string[]; deleted: string[] }
}

/**
 * Writes the next day of changes to the tables {@link seedDemoData} made: a few users upgrade,
 * change their name or buy an add-on, one unsubscribes from the newsletter, one is deleted (with
 * their events), a few sign up, and 20 events arrive. Calling it again writes the day after.
 */
export async function changeDemoData(adapter: WarehouseAdapter, options: DemoChangeOptions = {}): Promise<DemoChanges> {
  const context = await readChangeContext(adapter)
  const plan = planDemoChanges(new DemoRandom(mixSeed(options.seed ?? 1, context.dayStart / DAY_MS)), context)
  const deletedEvents = await adapter.transaction((tx) => applyDemoChanges(tx, plan))
  return summarize(plan, context.dayStart, deletedEvents)
}

async function readChangeContext(adapter: WarehouseAdapter): Promise<DemoChangeContext> {
  const { rows } = await adapter.run({ sql: 'select user_id, email, last_name, country, plan, is_subscribed from users order by user_id' })
  const users: ExistingUser[] = rows.map((row) => ({
    userId: textField(row, 'user_id') ?? '',
    email: textField(row, 'email') ?? null,
    lastName: textField(row, 'last_name') ?? '',
    country: textField(row, 'country') ?? '',
    plan: asPlan(textField(row, 'plan')),
    isSubscribed: field(row, 'is_subscribed') === true,
  }))
  const { dialect } = adapter
  // Ids are zero-padded, so the longest and then greatest is the last, even past six digits.
  const lastEvent = await adapter.run({ sql: 'select event_id from events order by length(event_id) desc, event_id desc limit 1' })
  const lastAt = await adapter.run({ sql: `select ${dialect.toText('max(occurred_at)')} as last_at from events` })
  const lastDay = /^\d{4}-\d{2}-\d{2}/.exec(textField(lastAt.rows[0] ?? {}, 'last_at') ?? '')?.[0]
  return {
    users,
    lastUserNumber: Math.max(0, ...users.map((user) => idNumber(user.userId))),
    lastEventNumber: idNumber(textField(lastEvent.rows[0] ?? {}, 'event_id')),
    dayStart: lastDay === undefined ? DEMO_DATA_END : Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS,
  }
}

function asPlan(value: string | undefined): DemoPlan {
  return DEMO_PLANS.find((plan) => plan.name === value)?.name ?? 'free'
}

/** Writes the plan; returns how many events the deletions took with them. */
async function applyDemoChanges(tx: WarehouseExecutor, plan: DemoChangePlan): Promise<number> {
  const addValue = 'lifetime_value = lifetime_value + cast(? as decimal(12,2))'
  for (const { userId, plan: tier, amountCents } of plan.upgrades)
    await tx.run({ sql: `update users set plan = ?, ${addValue} where user_id = ?`, params: [tier, formatCents(amountCents), userId] })
  for (const { userId, lastName } of plan.renames)
    await tx.run({ sql: 'update users set last_name = ? where user_id = ?', params: [lastName, userId] })
  for (const { userId, amountCents } of plan.purchases)
    await tx.run({ sql: `update users set ${addValue} where user_id = ?`, params: [formatCents(amountCents), userId] })
  for (const userId of plan.unsubscribes)
    await tx.run({ sql: 'update users set is_subscribed = ? where user_id = ?', params: [false, userId] })
  let deletedEvents = 0
  for (const userId of plan.deletions) {
    deletedEvents += (await tx.run({ sql: 'delete from events where user_id = ?', params: [userId] })).rowsAffected
    await tx.run({ sql: 'delete from users where user_id = ?', params: [userId] })
  }
  await insertUsers(tx, plan.newUsers)
  await insertEvents(tx, plan.events)
  return deletedEvents
}

function summarize(plan: DemoChangePlan, dayStart: number, deletedEvents: number): DemoChanges {
  const userIds = {
    upgraded: plan.upgrades.map((upgrade) => upgrade.userId),
    renamed: plan.renames.map((rename) => rename.userId),
    purchasers: plan.purchases.map((purchase) => purchase.userId),
    unsubscribed: [...plan.unsubscribes],
    new: plan.newUsers.map((user) => user.userId),
    deleted: [...plan.deletions],
  }
  return {
    day: new Date(dayStart).toISOString().slice(0, 10),
    updatedUsers: userIds.upgraded.length + userIds.renamed.length + userIds.purchasers.length + userIds.unsubscribed.length,
    upgradedUsers: userIds.upgraded.length,
    renamedUsers: userIds.renamed.length,
    purchasers: userIds.purchasers.length,
    unsubscribed: userIds.unsubscribed.length,
    newUsers: userIds.new.length,
    newSubscribers: plan.newUsers.filter((user) => user.isSubscribed).length,
    deletedUsers: userIds.deleted.length,
    deletedEvents,
    newEvents: plan.events.length,
    newPurchases: plan.events.filter((event) => event.eventName === 'purchase_completed').length,
    userIds,
  }
}
