import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { startBrazeEmulator, startCleverTapEmulator, type BrazeEmulator, type CleverTapEmulator } from '../../providers/emulators.js'
import { DEFAULT_AUTH, http } from './http.js'

/*
 * The Braze and CleverTap emulators find records through indexes kept in step with every write.
 * These tests change indexed fields and delete records, then look them up by old and new values.
 */

describe('Braze emulator: lookups after indexed fields change', () => {
  let braze: BrazeEmulator
  beforeAll(async () => {
    braze = await startBrazeEmulator()
  })
  afterAll(() => braze.stop())
  beforeEach(() => braze.reset())

  const call = (path: string, body: object) => http(braze.url, 'POST', path, { body, headers: DEFAULT_AUTH.braze })
  const track = (body: object) => call('/users/track', body)
  const exported = async (body: object) => ((await call('/users/export/ids', body)).body as { users: Record<string, unknown>[] }).users
  const externalIdsOf = (users: readonly { external_id?: unknown }[]) => users.map((user) => user.external_id ?? null)
  const usersNamed = (first_name: string) => braze.state().users.filter((user) => user.attributes['first_name'] === first_name)

  it('finds a user by its new email and phone only, once they change', async () => {
    await track({ attributes: [{ external_id: 'u1', email: 'old@example.com', phone: '+15550000001' }] })
    await track({ attributes: [{ external_id: 'u1', email: 'new@example.com', phone: '+15550000002' }] })
    expect(await exported({ email_address: 'old@example.com' })).toEqual([])
    expect(externalIdsOf(await exported({ email_address: 'new@example.com' }))).toEqual(['u1'])
    expect(await exported({ phone: '+15550000001' })).toEqual([])
    expect(externalIdsOf(await exported({ phone: '+15550000002' }))).toEqual(['u1'])

    // The new email names u1; the old one names nobody, so it creates an email-only profile.
    await track({ attributes: [{ email: 'new@example.com', first_name: 'Ada' }] })
    await track({ attributes: [{ email: 'old@example.com', first_name: 'Email only' }] })
    expect(externalIdsOf(usersNamed('Ada'))).toEqual(['u1'])
    expect(usersNamed('Email only').map((user) => [user.external_id, user.attributes['email']])).toEqual([[undefined, 'old@example.com']])
  })

  it('forgets an email removed with null, and keeps events and purchases with the user', async () => {
    await track({
      attributes: [{ external_id: 'u1', email: 'ada@example.com' }],
      events: [{ external_id: 'u1', name: 'login', time: '2024-01-15T10:00:00Z' }],
    })
    await track({ attributes: [{ external_id: 'u1', email: null }] })
    expect(await exported({ email_address: 'ada@example.com' })).toEqual([])
    await track({ events: [{ email: 'ada@example.com', name: 'login', time: '2024-01-16T10:00:00Z' }] })
    const [u1] = await exported({ external_ids: ['u1'] })
    expect(u1?.['custom_events']).toEqual([
      { name: 'login', first: '2024-01-15T10:00:00.000Z', last: '2024-01-15T10:00:00.000Z', count: 1 },
    ])
  })

  it('passes a shared email to the next most recently updated user when the preferred one changes it', async () => {
    await track({ attributes: [{ external_id: 'u1', email: 'team@example.com' }] })
    await track({ attributes: [{ external_id: 'u2', email: 'team@example.com' }] })
    await track({ attributes: [{ email: 'team@example.com', first_name: 'Latest' }] })
    expect(externalIdsOf(usersNamed('Latest'))).toEqual(['u2'])

    await track({ attributes: [{ external_id: 'u1', last_name: 'Touched' }] })
    await track({ attributes: [{ email: 'team@example.com', first_name: 'Touched' }] })
    expect(externalIdsOf(usersNamed('Touched'))).toEqual(['u1'])

    await track({ attributes: [{ external_id: 'u1', email: 'solo@example.com' }] })
    await track({ attributes: [{ email: 'team@example.com', first_name: 'Remaining' }] })
    expect(externalIdsOf(usersNamed('Remaining'))).toEqual(['u2'])
    expect(externalIdsOf(await exported({ email_address: 'team@example.com' }))).toEqual(['u2'])
  })

  it('lists several users sharing an email oldest first, and deletes by email once one is left', async () => {
    await track({ attributes: [{ email: 'ada@example.com' }] })
    await track({ attributes: [{ external_id: 'u1', email: 'ada@example.com' }] })
    await track({ attributes: [{ external_id: 'u0', email: 'ada@example.com' }] })
    expect(externalIdsOf(await exported({ email_address: 'ada@example.com' }))).toEqual([null, 'u1', 'u0'])
    const deleteByEmail = (prioritization: string[]) =>
      call('/users/delete', { email_addresses: [{ email: 'ada@example.com', prioritization }] })
    expect((await deleteByEmail(['identified', 'most_recently_updated'])).body).toEqual({ deleted: 1 })
    expect(externalIdsOf(await exported({ email_address: 'ada@example.com' }))).toEqual([null, 'u1'])
    expect((await deleteByEmail(['identified'])).body).toEqual({ deleted: 1 })
    expect((await deleteByEmail([])).body).toEqual({ deleted: 1 })
    expect(await exported({ email_address: 'ada@example.com' })).toEqual([])
  })

  it('finds nobody by any identifier of a deleted user, and starts afresh when its ids come back', async () => {
    const alias = { alias_name: 'anon-1', alias_label: 'anonymous' }
    await track({ attributes: [{ external_id: 'u1', email: 'ada@example.com', phone: '+15550000001', plan: 'pro' }] })
    await track({ attributes: [{ user_alias: alias, _update_existing_only: false, email: 'alias@example.com' }] })
    const [before] = braze.state().users
    expect((await call('/users/delete', { external_ids: ['u1'] })).body).toEqual({ deleted: 1 })
    expect((await call('/users/delete', { user_aliases: [alias] })).body).toEqual({ deleted: 1 })

    expect(await call('/users/export/ids', { external_ids: ['u1'] })).toMatchObject({ body: { users: [], invalid_user_ids: ['u1'] } })
    expect(await exported({ user_aliases: [alias] })).toEqual([])
    expect(await exported({ braze_id: before?.braze_id })).toEqual([])
    for (const body of [{ email_address: 'ada@example.com' }, { email_address: 'alias@example.com' }, { phone: '+15550000001' }]) {
      expect(await exported(body)).toEqual([])
    }
    expect((await call('/users/delete', { braze_ids: [before?.braze_id] })).body).toEqual({ deleted: 0 })

    await track({ attributes: [{ user_alias: alias, first_name: 'Gone' }] })
    await track({ attributes: [{ external_id: 'u1', first_name: 'Back' }] })
    const users = braze.state().users
    expect(users.map((user) => [user.external_id, user.attributes, user.custom_attributes])).toEqual([['u1', { first_name: 'Back' }, {}]])
    expect(users[0]?.braze_id).not.toBe(before?.braze_id)
  })
})

describe('CleverTap emulator: lookups after indexed fields change', () => {
  let clevertap: CleverTapEmulator
  beforeAll(async () => {
    clevertap = await startCleverTapEmulator()
  })
  afterAll(() => clevertap.stop())
  beforeEach(() => clevertap.reset())

  const auth = { headers: DEFAULT_AUTH.clevertap }
  const upload = (records: unknown[]) => http(clevertap.url, 'POST', '/1/upload', { ...auth, body: { d: records } })
  const profile = async (query: string) => {
    const answer = await http(clevertap.url, 'GET', `/1/profile.json?${query}`, auth)
    return answer.status === 404 ? undefined : (answer.body as { record: Record<string, unknown> }).record
  }

  it('finds a profile by its new Email only, once it changes', async () => {
    await upload([{ type: 'profile', identity: 'u1', profileData: { Email: 'old@example.com' } }])
    await upload([{ type: 'profile', identity: 'u1', profileData: { Email: 'new@example.com' } }])
    expect(await profile('email=old%40example.com')).toBeUndefined()
    expect(await profile('email=new%40example.com')).toMatchObject({ identity: 'u1' })
  })

  it('gives a shared Email to the first created profile, then to the next when that one changes it', async () => {
    await upload([
      { type: 'profile', identity: 'u1', profileData: { Email: 'team@example.com' } },
      { type: 'profile', identity: 'u2', profileData: { Email: 'team@example.com' } },
    ])
    expect(await profile('email=team%40example.com')).toMatchObject({ identity: 'u1' })
    await upload([{ type: 'profile', identity: 'u1', profileData: { Email: 'solo@example.com' } }])
    expect(await profile('email=team%40example.com')).toMatchObject({ identity: 'u2' })
    await upload([{ type: 'profile', identity: 'u1', profileData: { Email: 'team@example.com' } }])
    expect(await profile('email=team%40example.com')).toMatchObject({ identity: 'u1' })
  })

  it('follows an identity that an upload moves onto the profile of an objectId, with its events', async () => {
    await upload([
      { type: 'profile', identity: 'u1', objectId: 'obj-1', profileData: { Name: 'Ada' } },
      { type: 'event', identity: 'u1', evtName: 'Viewed', ts: 1717000000 },
    ])
    // No profile has identity u2, so the objectId finds u1's profile, which takes the new identity.
    await upload([{ type: 'event', identity: 'u2', objectId: 'obj-1', evtName: 'Bought', ts: 1717000100 }])
    expect(await profile('identity=u1')).toBeUndefined()
    const moved = await profile('identity=u2')
    expect(moved).toMatchObject({ identity: 'u2', objectId: 'obj-1', profileData: { Name: 'Ada' } })
    expect(moved?.['events']).toEqual({
      Viewed: { count: 1, first_seen: 1717000000, last_seen: 1717000000 },
      Bought: { count: 1, first_seen: 1717000100, last_seen: 1717000100 },
    })
    expect(await profile('objectId=obj-1')).toEqual(moved)
  })

  it('finds nobody by any identifier of a deleted profile', async () => {
    await upload([
      { type: 'profile', identity: 'u1', objectId: 'obj-1', profileData: { Email: 'ada@example.com' } },
      { type: 'profile', identity: 'u2', objectId: 'obj-2', profileData: {} },
    ])
    await http(clevertap.url, 'POST', '/1/delete/profiles.json', { ...auth, body: { identity: 'u1' } })
    await http(clevertap.url, 'POST', '/1/delete/profiles.json', { ...auth, body: { guid: ['obj-2'] } })
    for (const query of ['identity=u1', 'objectId=obj-1', 'email=ada%40example.com', 'identity=u2', 'objectId=obj-2']) {
      expect(await profile(query)).toBeUndefined()
    }
    await upload([{ type: 'profile', identity: 'u1', profileData: { Name: 'Back' } }])
    expect(clevertap.state().profiles.map((p) => [p.identifiers, p.profileData])).toEqual([[{ identity: 'u1' }, { Name: 'Back' }]])
  })
})
