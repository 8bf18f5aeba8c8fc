import { randomId } from '../random-id.js'

/** A user alias: a name within a label. */
export interface BrazeUserAlias {
  alias_name: string
  alias_label: string
}

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

/** The in-memory store of one Braze workspace. */
export class BrazeState {
  readonly users = new Map<string, BrazeUser>()
  readonly events: BrazeEvent[] = []
  readonly purchases: BrazePurchase[] = []
  readonly segments: BrazeSegment[] = []
  #revision = 0

  byExternalId(externalId: string): BrazeUser | undefined {
    for (const user of this.users.values()) if (user.external_id === externalId) return user
    return undefined
  }

  byAlias(alias: BrazeUserAlias): BrazeUser | undefined {
    for (const user of this.users.values()) {
      if (user.user_aliases.some((a) => a.alias_name === alias.alias_name && a.alias_label === alias.alias_label)) return user
    }
    return undefined
  }

  /**
   * The profile an email or phone identifies: of several, the most recently updated one with an
   * external_id, else the most recently updated (reference section 2.3, post_user_track FAQ).
   */
  byContact(field: 'email' | 'phone', value: string): BrazeUser | undefined {
    const matches = [...this.users.values()].filter((user) => user.attributes[field] === value)
    matches.sort((a, b) => b.revision - a.revision)
    return matches.find((user) => user.external_id !== undefined) ?? matches[0]
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
    this.users.set(user.braze_id, user)
    return user
  }

  /** Marks a user as just updated. */
  touch(user: BrazeUser, nowIso: string): void {
    user.updated_at = nowIso
    user.revision = ++this.#revision
  }

  clear(): void {
    this.users.clear()
    this.events.length = 0
    this.purchases.length = 0
    this.segments.length = 0
  }

  snapshot(): BrazeStateSnapshot {
    return structuredClone({ users: [...this.users.values()], events: this.events, purchases: this.purchases, segments: this.segments })
  }
}
