import { randomId } from '../../../src/emulators/random-id.js'
import { BrazeContactIndex } from './braze-contact-index.js'

/** A user alias: a name within a label. */
export interface BrazeUserAlias {
  alias_name: string
  alias_label: string
}

/** The standard profile fields that identify a user too, and are indexed. */
export type BrazeContactField = 'email' | 'phone'

/** A stored user profile. */
export interface BrazeUser {
  braze_id: string
  external_id?: string
  user_aliases: BrazeUserAlias[]
  /** Standard profile fields (`first_name`, `email`, `country`, ...). */
  attributes: Record<string, unknown>
  custom_attributes: Record<string, unknown>
  created_at: string
  updated_at: string
  /** Increases with every write, to pick the most recently updated of several matches. */
  revision: number
}

/** A stored custom event; Braze never deduplicates them. */
export interface BrazeEvent {
  braze_id: string
  external_id?: string
  name: string
  time: string
  app_id?: string
  properties: Record<string, unknown>
}

/** A stored purchase. */
export interface BrazePurchase {
  braze_id: string
  external_id?: string
  product_id: string
  currency: string
  price: number
  quantity: number
  time: string
  properties: Record<string, unknown>
}

/** A segment, as `/segments/list` returns it. */
export interface BrazeSegment {
  id: string
  name: string
  analytics_tracking_enabled: boolean
  tags: string[]
}

/** Everything the Braze emulator stores, as `GET /_emulator/state` returns it. */
export interface BrazeStateSnapshot {
  users: BrazeUser[]
  events: BrazeEvent[]
  purchases: BrazePurchase[]
  segments: BrazeSegment[]
}

/** A user's events and purchases, for the export view. */
interface BrazeActivity {
  events: BrazeEvent[]
  purchases: BrazePurchase[]
}

/**
 * The in-memory store of one Braze workspace. Users are indexed by every identifier a request may
 * name them by (braze_id, external_id, alias, email, phone), and events and purchases by user, so
 * that no lookup reads every user and a store of millions answers as fast as an empty one. Every
 * write goes through a method here, which keeps the indexes in step.
 */
export class BrazeState {
  readonly segments: BrazeSegment[] = []
  /** By braze_id, in creation order. */
  readonly #users = new Map<string, BrazeUser>()
  readonly #byExternalId = new Map<string, BrazeUser>()
  readonly #byAlias = new Map<string, BrazeUser>()
  readonly #contacts: Record<BrazeContactField, BrazeContactIndex> = { email: new BrazeContactIndex(), phone: new BrazeContactIndex() }
  readonly #events: BrazeEvent[] = []
  readonly #purchases: BrazePurchase[] = []
  readonly #activity = new Map<string, BrazeActivity>()
  /**
   * Creation order, which lists several users holding one email in the order a filter over all
   * users gave. A Map, kept in step by `remove` and `clear`: a WeakMap of millions of users costs
   * the garbage collector more than the users themselves.
   */
  readonly #created = new Map<BrazeUser, number>()
  #revision = 0

  byBrazeId(brazeId: string): BrazeUser | undefined {
    return this.#users.get(brazeId)
  }

  byExternalId(externalId: string): BrazeUser | undefined {
    return this.#byExternalId.get(externalId)
  }

  byAlias(alias: BrazeUserAlias): BrazeUser | undefined {
    return this.#byAlias.get(aliasKey(alias))
  }

  /**
   * The profile an email or phone identifies: of several, the most recently updated one with an
   * external_id, else the most recently updated (reference section 2.3, post_user_track FAQ).
   */
  byContact(field: BrazeContactField, value: string): BrazeUser | undefined {
    return this.#contacts[field].preferred(value)
  }

  /**
   * Every user whose `field` equals `value`, oldest first. `undefined` matches the users without
   * the field, as comparing each user's field with it does; no index holds an absence, so that
   * case (a request naming no value) reads every user.
   */
  withContact(field: BrazeContactField, value: unknown): BrazeUser[] {
    if (value === undefined) return [...this.#users.values()].filter((user) => user.attributes[field] === undefined)
    const order = (user: BrazeUser) => this.#created.get(user) ?? 0
    return this.#contacts[field].holders(value).sort((a, b) => order(a) - order(b))
  }

  create(nowIso: string, identity: Pick<BrazeUser, 'external_id'> & { alias?: BrazeUserAlias }): BrazeUser {
    const user: BrazeUser = {
      braze_id: randomId(24, 'hex'),
      user_aliases: identity.alias === undefined ? [] : [identity.alias],
      attributes: {},
      custom_attributes: {},
      created_at: nowIso,
      updated_at: nowIso,
      revision: ++this.#revision,
    }
    if (identity.external_id !== undefined) user.external_id = identity.external_id
    this.#users.set(user.braze_id, user)
    this.#created.set(user, user.revision)
    if (user.external_id !== undefined) this.#byExternalId.set(user.external_id, user)
    for (const alias of user.user_aliases) this.#byAlias.set(aliasKey(alias), user)
    return user
  }

  /** Writes `email` or `phone`; `null` removes it, as for any standard field. */
  setContact(user: BrazeUser, field: BrazeContactField, value: unknown): void {
    const previous = user.attributes[field]
    if (value === previous) return
    this.#contacts[field].delete(user, previous)
    if (value === null) Reflect.deleteProperty(user.attributes, field)
    else user.attributes[field] = value
    this.#contacts[field].add(user, user.attributes[field])
  }

  /** Marks a user as just updated. */
  touch(user: BrazeUser, nowIso: string): void {
    user.updated_at = nowIso
    user.revision = ++this.#revision
    for (const field of ['email', 'phone'] as const) this.#contacts[field].touched(user, user.attributes[field])
  }

  /** Deletes a user; its events and purchases stay, as stored occurrences. */
  remove(user: BrazeUser): void {
    if (this.#users.get(user.braze_id) !== user) return
    this.#users.delete(user.braze_id)
    this.#created.delete(user)
    this.#activity.delete(user.braze_id)
    if (user.external_id !== undefined) this.#byExternalId.delete(user.external_id)
    for (const alias of user.user_aliases) this.#byAlias.delete(aliasKey(alias))
    for (const field of ['email', 'phone'] as const) this.#contacts[field].delete(user, user.attributes[field])
  }

  addEvent(event: BrazeEvent): void {
    this.#events.push(event)
    this.#activityOf(event.braze_id).events.push(event)
  }

  addPurchase(purchase: BrazePurchase): void {
    this.#purchases.push(purchase)
    this.#activityOf(purchase.braze_id).purchases.push(purchase)
  }

  /** A user's events, oldest first. */
  eventsOf(brazeId: string): readonly BrazeEvent[] {
    return this.#activity.get(brazeId)?.events ?? []
  }

  /** A user's purchases, oldest first. */
  purchasesOf(brazeId: string): readonly BrazePurchase[] {
    return this.#activity.get(brazeId)?.purchases ?? []
  }

  clear(): void {
    this.#users.clear()
    this.#created.clear()
    this.#byExternalId.clear()
    this.#byAlias.clear()
    for (const field of ['email', 'phone'] as const) this.#contacts[field].clear()
    this.#events.length = 0
    this.#purchases.length = 0
    this.#activity.clear()
    this.segments.length = 0
  }

  snapshot(): BrazeStateSnapshot {
    return structuredClone({ users: [...this.#users.values()], events: this.#events, purchases: this.#purchases, segments: this.segments })
  }

  #activityOf(brazeId: string): BrazeActivity {
    let activity = this.#activity.get(brazeId)
    if (activity === undefined) this.#activity.set(brazeId, (activity = { events: [], purchases: [] }))
    return activity
  }
}

/** An alias is a name within a label; JSON keeps any two pairs apart, whatever characters they hold. */
function aliasKey(alias: BrazeUserAlias): string {
  return JSON.stringify([alias.alias_label, alias.alias_name])
}
