/** A stored profile: free-form keys (OIDC claims, provider tokens, `custom`). */
export interface CourierProfile {
  profile: Record<string, unknown>
  preferences: Record<string, unknown> | null
}

/** A stored list; a deleted list keeps its subscriptions until restored. */
export interface CourierList {
  id: string
  name: string
  created: string
  updated: string
  preferences: Record<string, unknown> | null
  deleted: boolean
}

/** A list membership. */
export interface CourierSubscription {
  recipientId: string
  created: string
  preferences: Record<string, unknown> | null
}

/** Everything the Courier emulator stores, as `GET /_emulator/state` returns it. */
export interface CourierStateSnapshot {
  profiles: Record<string, CourierProfile>
  lists: CourierList[]
  /** Members by list id. */
  subscriptions: Record<string, CourierSubscription[]>
}

/** The in-memory store of one Courier workspace. */
export class CourierState {
  readonly profiles = new Map<string, CourierProfile>()
  readonly lists = new Map<string, CourierList>()
  readonly subscriptions = new Map<string, Map<string, CourierSubscription>>()

  /** A list that exists and is not deleted. */
  activeList(listId: string): CourierList | undefined {
    const list = this.lists.get(listId)
    return list === undefined || list.deleted ? undefined : list
  }

  /** Creates or replaces a list (`PUT /lists/{id}`), keeping its creation time. */
  putList(listId: string, name: string, preferences: Record<string, unknown> | null, nowIso: string): void {
    const existing = this.lists.get(listId)
    this.lists.set(listId, { id: listId, name, created: existing?.created ?? nowIso, updated: nowIso, preferences, deleted: false })
  }

  /** The members of a list, created (named after its id) when subscribing to a list that does not exist (section 4.4). */
  membersForWrite(listId: string, nowIso: string): Map<string, CourierSubscription> {
    if (this.activeList(listId) === undefined) this.putList(listId, this.lists.get(listId)?.name ?? listId, null, nowIso)
    let members = this.subscriptions.get(listId)
    if (members === undefined) this.subscriptions.set(listId, (members = new Map<string, CourierSubscription>()))
    return members
  }

  /** Adds or updates one membership, keeping when it was first created. */
  subscribe(listId: string, recipientId: string, preferences: Record<string, unknown> | null, nowIso: string): void {
    const members = this.membersForWrite(listId, nowIso)
    members.set(recipientId, { recipientId, created: members.get(recipientId)?.created ?? nowIso, preferences })
  }

  clear(): void {
    this.profiles.clear()
    this.lists.clear()
    this.subscriptions.clear()
  }

  snapshot(): CourierStateSnapshot {
    const subscriptions: Record<string, CourierSubscription[]> = {}
    for (const [listId, members] of this.subscriptions) subscriptions[listId] = [...members.values()]
    return structuredClone({ profiles: Object.fromEntries(this.profiles), lists: [...this.lists.values()], subscriptions })
  }
}
