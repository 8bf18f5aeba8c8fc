import { afterEach, describe, expect, it } from 'vitest'

import { DEMO_EVENT_NAMES, DEMO_PLANS } from '../../src/demo/demo-catalog.js'
import { changeDemoData, seedDemoData, type DemoChanges } from '../../src/demo/demo-data.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import type { SyncSpec } from '../../src/model/spec-types.js'
import { createDuckdbAdapter } from '../../src/warehouse/duckdb/duckdb-adapter.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import { asText, compareModels, readModel, readNumber, readRows, readTable, type ModelSnapshot } from './demo-fixtures.js'

const { syncs } = await loadValidSpecs('syncs')

const opened: WarehouseAdapter[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((adapter) => adapter.close()))
})

async function openWarehouse(): Promise<WarehouseAdapter> {
  const adapter = await createDuckdbAdapter({ path: ':memory:', threads: 1 })
  opened.push(adapter)
  return adapter
}

async function seeded(options?: Parameters<typeof seedDemoData>[1]): Promise<WarehouseAdapter> {
  const adapter = await openWarehouse()
  await seedDemoData(adapter, options)
  return adapter
}

function syncNamed(name: string): SyncSpec {
  const sync = syncs.find((candidate) => candidate.name === name)
  if (sync === undefined) throw new Error(`no sync "${name}" in syncs/`)
  return sync
}

async function readModels(adapter: WarehouseAdapter): Promise<Map<string, ModelSnapshot>> {
  return new Map(await Promise.all(syncs.map(async (sync) => [sync.name, await readModel(adapter, sync)] as const)))
}

describe('seedDemoData', () => {
  it('creates 80 users with about five events each by default', async () => {
    const adapter = await openWarehouse()
    const result = await seedDemoData(adapter)
    expect(result.users).toBe(80)
    expect(result.events).toBeGreaterThanOrEqual(4 * 80)
    expect(result.events).toBeLessThanOrEqual(6 * 80)
    expect(await readNumber(adapter, 'select count(*) from users')).toBe(result.users)
    expect(await readNumber(adapter, 'select count(*) from events')).toBe(result.events)
  })

  it('types the columns as the syncs map them', async () => {
    const adapter = await seeded()
    const types = async (table: string) =>
      Object.fromEntries((await adapter.describe(`select * from ${table}`)).map((c) => [c.name, c.type]))
    expect(await types('users')).toEqual({
      user_id: 'VARCHAR',
      email: 'VARCHAR',
      first_name: 'VARCHAR',
      last_name: 'VARCHAR',
      plan: 'VARCHAR',
      country: 'VARCHAR',
      signed_up_at: 'TIMESTAMP',
      lifetime_value: 'DECIMAL(12,2)',
      is_subscribed: 'BOOLEAN',
      locale: 'VARCHAR',
    })
    expect(await types('events')).toEqual({
      event_id: 'VARCHAR',
      user_id: 'VARCHAR',
      event_name: 'VARCHAR',
      occurred_at: 'TIMESTAMP',
      plan: 'VARCHAR',
      amount: 'DECIMAL(10,2)',
    })
  })

  it("gives every sync in syncs/ its key and mapped columns, with rows, unique keys and no null key but Loops' one", async () => {
    const adapter = await seeded()
    expect(syncs.map((sync) => sync.name).sort()).toEqual([
      'braze-events',
      'braze-users',
      'clevertap-events',
      'clevertap-profiles',
      'courier-newsletter',
      'courier-profiles',
      'loops-contacts',
    ])
    for (const [name, model] of await readModels(adapter)) {
      expect(model.rows, name).toBeGreaterThan(0)
      expect(model.duplicateKeys, name).toBe(0)
      // The user without an email: Loops keys contacts by email, so validation rejects that row there.
      expect(model.nullKeys, name).toBe(name === 'loops-contacts' ? 1 : 0)
    }
  })

  it('writes values every destination accepts', async () => {
    const adapter = await seeded()
    const users = await readRows(adapter, 'select * from users')
    const emails = users.flatMap((user) => (user.email === null ? [] : [asText(user.email)]))
    expect(emails).toHaveLength(users.length - 1)
    expect(new Set(emails).size).toBe(emails.length)
    for (const email of emails) expect(email).toMatch(/^[a-z0-9.]+@[a-z]+\.(com|org|net|example)$/)
    for (const user of users) {
      expect(user.user_id).toMatch(/^u_\d{6}$/)
      expect(user.locale).toMatch(new RegExp(`^[a-z]{2}-${asText(user.country)}$`))
      expect(DEMO_PLANS.map((plan) => plan.name)).toContain(user.plan)
      expect(user.first_name).toBeTruthy()
      expect(user.last_name).toBeTruthy()
    }
    const events = await readRows(adapter, 'select * from events')
    for (const event of events) {
      expect(event.event_id).toMatch(/^e_\d{6}$/)
      expect(DEMO_EVENT_NAMES).toContain(event.event_name)
      expect(event.amount === null, asText(event.event_name)).toBe(
        !['invoice_paid', 'purchase_completed'].includes(asText(event.event_name)),
      )
    }
    await expectConsistentEvents(adapter)
  })

  it('keeps the newsletter large enough that one unsubscribe stays within its maxDeletes', async () => {
    const adapter = await seeded()
    const newsletter = syncNamed('courier-newsletter')
    expect(newsletter.maxDeletes).toEqual({ kind: 'percent', percent: 5 })
    const members = (await readModel(adapter, newsletter)).rows
    expect(members).toBe(32)
    expect((1 / members) * 100).toBeLessThanOrEqual(5)
  })

  it('gives the same rows for the same seed, and others for another seed', async () => {
    const dump = async (adapter: WarehouseAdapter) =>
      JSON.stringify([
        await readRows(adapter, 'select * from users order by user_id'),
        await readRows(adapter, 'select * from events order by event_id'),
      ])
    const first = await dump(await seeded({ seed: 7 }))
    expect(await dump(await seeded({ seed: 7 }))).toBe(first)
    expect(await dump(await seeded({ seed: 8 }))).not.toBe(first)
  })

  it('replaces tables that exist', async () => {
    const adapter = await seeded()
    expect(await seedDemoData(adapter, { users: 12, eventsPerUser: 2 })).toEqual({
      users: 12,
      events: await readNumber(adapter, 'select count(*) from events'),
    })
    expect(await readNumber(adapter, 'select count(*) from users')).toBe(12)
  })

  it('refuses sizes that are not positive integers', async () => {
    const adapter = await openWarehouse()
    await expect(seedDemoData(adapter, { users: 0 })).rejects.toThrow('demo data: users must be a positive integer, not 0')
    await expect(seedDemoData(adapter, { eventsPerUser: 2.5 })).rejects.toThrow(RangeError)
  })
})

describe('changeDemoData', () => {
  it('writes the changes it reports', async () => {
    const adapter = await seeded()
    const before = await readTable(adapter, 'users', 'user_id')
    const eventsBefore = await readTable(adapter, 'events', 'event_id')
    const changes = await changeDemoData(adapter)
    const after = await readTable(adapter, 'users', 'user_id')
    const eventsAfter = await readTable(adapter, 'events', 'event_id')

    expect(changes).toMatchObject({ day: '2025-07-01', updatedUsers: 8, newUsers: 5, deletedUsers: 1, unsubscribed: 1, newEvents: 20 })
    const added = [...after.keys()].filter((id) => !before.has(id))
    const removed = [...before.keys()].filter((id) => !after.has(id))
    expect(added).toEqual(changes.userIds.new)
    expect(removed).toEqual(changes.userIds.deleted)
    expect(added.filter((id) => after.get(id)?.is_subscribed === true)).toHaveLength(changes.newSubscribers)

    const changed = (column: string) =>
      [...after]
        .filter(([id, row]) => before.has(id) && JSON.stringify(before.get(id)?.[column]) !== JSON.stringify(row[column]))
        .map(([id]) => id)
    expect(changed('plan').sort()).toEqual([...changes.userIds.upgraded].sort())
    expect(changed('last_name').sort()).toEqual([...changes.userIds.renamed].sort())
    expect(changed('lifetime_value').sort()).toEqual([...changes.userIds.upgraded, ...changes.userIds.purchasers].sort())
    expect(changed('is_subscribed')).toEqual(changes.userIds.unsubscribed)
    expect(changes.userIds.unsubscribed.every((id) => before.get(id)?.is_subscribed === true)).toBe(true)
    const updated = new Set(['plan', 'last_name', 'lifetime_value', 'is_subscribed', 'email', 'first_name'].flatMap(changed))
    expect(updated.size).toBe(changes.updatedUsers)

    const newEvents = [...eventsAfter.values()].filter((event) => !eventsBefore.has(asText(event.event_id)))
    expect(newEvents).toHaveLength(changes.newEvents)
    expect(newEvents.filter((event) => event.event_name === 'purchase_completed')).toHaveLength(changes.newPurchases)
    expect(eventsBefore.size - (eventsAfter.size - newEvents.length)).toBe(changes.deletedEvents)
    expect(changes.deletedEvents).toBeGreaterThan(0)
    await expectConsistentEvents(adapter)
  })

  it("changes each sync's model as DemoChanges documents", async () => {
    const adapter = await seeded()
    const before = await readModels(adapter)
    const changes = await changeDemoData(adapter)
    const after = await readModels(adapter)
    const diff = (name: string) => compareModels(before.get(name)!, after.get(name)!)
    const { newUsers, upgradedUsers, renamedUsers, purchasers, unsubscribed, deletedUsers } = changes
    const valueChanges = upgradedUsers + renamedUsers + purchasers
    expect(diff('braze-users')).toEqual({ created: newUsers, updated: valueChanges, gone: deletedUsers })
    expect(diff('loops-contacts')).toEqual({ created: newUsers, updated: valueChanges, gone: deletedUsers })
    expect(diff('clevertap-profiles')).toEqual({
      created: newUsers,
      updated: upgradedUsers + renamedUsers + unsubscribed,
      gone: deletedUsers,
    })
    expect(diff('courier-profiles')).toEqual({ created: newUsers, updated: renamedUsers, gone: deletedUsers })
    expect(diff('courier-newsletter')).toEqual({ created: changes.newSubscribers, updated: 0, gone: unsubscribed })
    expect(diff('braze-events')).toMatchObject({ created: changes.newEvents, updated: 0, gone: changes.deletedEvents })
    expect(diff('clevertap-events')).toMatchObject({ created: changes.newPurchases, updated: 0 })
    // Still one null key, for Loops only: the changes leave the user without an email alone.
    for (const [name, model] of after) expect(model.nullKeys, name).toBe(name === 'loops-contacts' ? 1 : 0)
  })

  it('moves on a day per call, never reusing an id', async () => {
    const adapter = await seeded()
    const first = await changeDemoData(adapter)
    const lastEvent = await readNumber(adapter, "select max(cast(substr(event_id, 3) as integer)) from events where event_id like 'e_%'")
    const second = await changeDemoData(adapter)
    expect([first.day, second.day]).toEqual(['2025-07-01', '2025-07-02'])
    expect(second.userIds.new[0]).toBe('u_000086')
    expect(await readNumber(adapter, `select count(*) from events where cast(substr(event_id, 3) as integer) > ${lastEvent}`)).toBe(
      second.newEvents,
    )
    expect(await readNumber(adapter, 'select count(distinct user_id) - count(*) from users')).toBe(0)
    await expectConsistentEvents(adapter)
  })

  it('makes the same changes to the same data with the same seed', async () => {
    const run = async (seed: number): Promise<DemoChanges> => changeDemoData(await seeded(), { seed })
    const first = await run(3)
    expect(await run(3)).toEqual(first)
    expect((await run(4)).userIds).not.toEqual(first.userIds)
  })
})

/** Events belong to existing users, after their sign-up, and add up to each user's lifetime value. */
async function expectConsistentEvents(adapter: WarehouseAdapter): Promise<void> {
  expect(
    await readNumber(adapter, 'select count(*) from events e left join users u on u.user_id = e.user_id where u.user_id is null'),
  ).toBe(0)
  expect(
    await readNumber(adapter, 'select count(*) from events e join users u on u.user_id = e.user_id where e.occurred_at < u.signed_up_at'),
  ).toBe(0)
  expect(await readNumber(adapter, 'select count(distinct event_id) - count(*) from events')).toBe(0)
  const mismatched = await readNumber(
    adapter,
    `select count(*) from users u
     left join (select user_id, sum(amount) as total from events group by user_id) e on e.user_id = u.user_id
     where u.lifetime_value <> coalesce(e.total, 0)`,
  )
  expect(mismatched).toBe(0)
}
